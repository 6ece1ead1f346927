// Issue #12 item 2: allocation closes the loop. A draw or a direct allocation makes offers; accepting
// signs the tenancy at the KC-15..17 rent; declining or letting an offer lapse frees the unit.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireOffers } from '../src/allocation/service.js';
import { offers } from '../src/allocation/tables.js';
import { loadConfig } from '../src/config.js';
import { households, tenancies, waitlistEntries } from '../src/db/schema.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { subsidies } from '../src/rent/tables.js';
import { ACCEPT, countRows, DECLINE, DRAW, freeUnit, householdStatus, OFFER_UNIT, unitStatus, waitlisted, WITHDRAW } from './helpers/allocation.js';
import { startTestHub, TEST_TODAY, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';

let t: TestHub;

const caseworker = () => t.as(CALLERS['CASEWORKER']!);

const error = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions ?? null;
const ok = <T = any>(res: GraphQLResponse<T>): T => {
  expect(res.body.errors).toBeUndefined();
  return res.body.data as T;
};

async function offer(householdId: string, unitId: string, on?: string) {
  return ok(await t.gql(OFFER_UNIT, { input: { householdId, unitId, ...(on ? { on } : {}) } })).offerUnit as { id: string; acceptBy: string; status: string };
}

async function feedAllowance(residentId: string, since: string, until: string | null) {
  const res = await t.gql(
    `mutation($k: String!, $r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: $k, asOf: "${TEST_TODAY}", records: $r) { rejected } }`,
    {
      k: `allowance-${residentId}-${since}`,
      r: { allowance: [{ residentId, status: 'MINIMUM_ALLOWANCE', since, until }] },
    },
  );
  expect(ok(res).submitCivilAffairsFeed.rejected).toBe(0);
}

/** the rent subsidy area's doing (KC-26): the household waits on a subsidy */
async function subsidised(id: string) {
  await t.database.db
    .update(households)
    .set({ status: 'SUBSIDISED' })
    .where(eq(households.id, Number(id)));
}

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

describe('drawLottery makes offers (KC-13(4))', () => {
  it('offers each household that drew a unit that unit, holds the units, and leaves the rest waiting', async () => {
    const a = await waitlisted(t, 'KC-BCZ');
    const b = await waitlisted(t, 'KC-BCZ');
    const c = await waitlisted(t, 'KC-BCZ');
    const res = ok(await t.gql(DRAW, { input: { districtId: 'KC-BCZ', seed: 'published 2026-11-20 BCZ', drawnOn: TEST_TODAY } })).drawLottery;
    expect(res.verified).toBe(true);
    expect([...res.householdIds].sort()).toEqual([a.id, b.id, c.id].sort());
    // the demo gives every district 2 free units
    expect(res.unitIds).toHaveLength(2);
    expect(res.offers).toHaveLength(2);
    for (const o of res.offers) {
      expect(o).toMatchObject({ status: 'OPEN', offeredOn: TEST_TODAY, acceptBy: '2026-12-07', draw: { id: res.id } });
      expect(await unitStatus(t, o.unit.id)).toBe('OFFERED');
      expect(await householdStatus(t, o.household.id)).toBe('WAITLISTED');
    }
    const offered = new Set(res.offers.map((o: { household: { id: string } }) => o.household.id));
    const left = [a, b, c].find((h) => !offered.has(h.id))!;

    // every free unit is on offer: another draw has nothing to draw
    const again = await t.gql(DRAW, { input: { districtId: 'KC-BCZ', seed: 'published 2026-11-21 BCZ', drawnOn: TEST_TODAY } });
    expect(error(again)).toMatchObject({ code: 'CONFLICT', field: 'input.districtId' });

    // a new unit: the next draw is among the households without an open offer only
    const unit = await freeUnit(t, 'KC-BCZ');
    const next = ok(await t.gql(DRAW, { input: { districtId: 'KC-BCZ', seed: 'published 2026-11-22 BCZ', drawnOn: TEST_TODAY } })).drawLottery;
    expect(next.householdIds).toEqual([left.id]);
    expect(next.unitIds).toEqual([unit]);
    expect(next.offers.map((o: { household: { id: string }; unit: { id: string } }) => [o.household.id, o.unit.id])).toEqual([[left.id, unit]]);

    const read = ok(await t.gql(`query($id: ID!) { lotteryDraw(id: $id) { verified offers { id } } }`, { id: next.id })).lotteryDraw;
    expect(read).toEqual({ verified: true, offers: [{ id: next.offers[0].id }] });
  });

  it('refuses bad input, a district with nobody waiting, and a draw dated in the future, writing nothing', async () => {
    const before = await countRows(t, 'lottery_draws');
    const short = await t.gql(DRAW, { input: { districtId: 'KC-TDH', seed: 'abc', drawnOn: TEST_TODAY } });
    expect(error(short)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.seed' });
    const future = await t.gql(DRAW, { input: { districtId: 'KC-TDH', seed: 'published seed', drawnOn: '2026-11-24' } });
    expect(error(future)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.drawnOn' });
    const empty = await t.gql(DRAW, { input: { districtId: 'KC-EYY', seed: 'published seed', drawnOn: TEST_TODAY } });
    expect(error(empty)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.districtId' });
    const unknown = await t.gql(DRAW, { input: { districtId: 'NOWHERE', seed: 'published seed', drawnOn: TEST_TODAY } });
    expect(error(unknown)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.districtId' });
    expect(await countRows(t, 'lottery_draws')).toBe(before);
  });

  it('is not open to a caseworker, even of the district', async () => {
    const res = await caseworker().gql(DRAW, { input: { districtId: 'KC-KCZ', seed: 'published seed', drawnOn: TEST_TODAY } });
    expect(error(res)?.['code']).toBe('FORBIDDEN');
  });
});

describe('offerUnit', () => {
  it('offers a free unit of its district to a waitlisted household, with acceptBy in working days', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    const unit = await freeUnit(t, 'KC-KCZ');
    const o = await offer(h.id, unit, '2026-11-20');
    expect(o).toMatchObject({ status: 'OPEN', offeredOn: '2026-11-20', acceptBy: '2026-12-04', household: { id: h.id }, unit: { id: unit } });
    expect(await unitStatus(t, unit)).toBe('OFFERED');
    const read = ok(
      await t.gql(`query($id: ID!) { household(id: $id) { status declinedOffers offers { id draw { id } unit { currentOffer { id } } } } }`, { id: h.id }),
    ).household;
    expect(read).toEqual({ status: 'WAITLISTED', declinedOffers: 0, offers: [{ id: o.id, draw: null, unit: { currentOffer: { id: o.id } } }] });

    // the unit is held, and the household holds an offer: neither is offered again
    const other = await waitlisted(t, 'KC-KCZ');
    const taken = await t.gql(OFFER_UNIT, { input: { householdId: other.id, unitId: unit } });
    expect(error(taken)).toMatchObject({ code: 'CONFLICT', field: 'input.unitId' });
    const second = await t.gql(OFFER_UNIT, { input: { householdId: h.id, unitId: await freeUnit(t, 'KC-KCZ') } });
    expect(error(second)).toMatchObject({ code: 'CONFLICT', field: 'input.householdId' });
  });

  it('offers to a subsidised household too', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    await subsidised(h.id);
    const o = await offer(h.id, await freeUnit(t, 'KC-KCZ'));
    expect(o.status).toBe('OPEN');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    const unit = await freeUnit(t, 'KC-KCZ');
    const lxmUnit = await freeUnit(t, 'KC-LXM');
    const before = await countRows(t, 'offers');
    const cases: [Record<string, unknown>, string][] = [
      [{ householdId: 'abc', unitId: unit }, 'input.householdId'],
      [{ householdId: h.id, unitId: '0' }, 'input.unitId'],
      [{ householdId: '999999', unitId: unit }, 'input.householdId'],
      [{ householdId: h.id, unitId: '999999' }, 'input.unitId'],
      [{ householdId: h.id, unitId: lxmUnit }, 'input.unitId'],
      [{ householdId: h.id, unitId: unit, on: '2026-11-24' }, 'input.on'],
    ];
    for (const [input, field] of cases) {
      const res = await t.gql(OFFER_UNIT, { input });
      expect(error(res), JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // an applicant not yet approved is not waiting for a unit
    const reg = await t.gql(
      `mutation($r: String!) { registerHousehold(input: { districtId: "KC-KCZ", category: LOCAL, members: [{ residentId: $r, name: "甲", birthDate: "1980-01-01", relation: HEAD }], currentHousing: { floorArea: 10, tenure: RENTED } }) { id } }`,
      {
        r: makeResidentId('130827', '1980-01-01', 499, 'MALE'),
      },
    );
    const applicant = await t.gql(OFFER_UNIT, { input: { householdId: ok(reg).registerHousehold.id, unitId: unit } });
    expect(error(applicant)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.householdId' });
    expect(await countRows(t, 'offers')).toBe(before);
    expect(await unitStatus(t, unit)).toBe('FREE');
  });

  it('is refused to a caseworker (FORBIDDEN), for a household of any district', async () => {
    const h = await waitlisted(t, 'KC-LXM');
    const res = await caseworker().gql(OFFER_UNIT, { input: { householdId: h.id, unitId: await freeUnit(t, 'KC-LXM') } });
    expect(error(res)?.['code']).toBe('FORBIDDEN');
  });
});

describe('acceptOffer signs the tenancy (KC-13(4), KC-15..17, KC-26)', () => {
  it('at the standard rent: household HOUSED, unit OCCUPIED, subsidy ended, waitlist entry kept, no ledger rows', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    await subsidised(h.id);
    await t.database.db.insert(subsidies).values({ householdId: Number(h.id), startDate: '2026-10-01', monthlyAmount: 300, startedBy: 'test' });
    const unit = await freeUnit(t, 'KC-KCZ', 45.55);
    const o = await offer(h.id, unit, '2026-11-20');
    const ledgerBefore = await countRows(t, 'rent_ledger');
    const accepted = ok(await caseworker().gql(ACCEPT, { input: { offerId: o.id, on: '2026-11-23', startDate: '2026-12-01' } })).acceptOffer;
    expect(accepted).toMatchObject({
      status: 'ACCEPTED',
      decidedOn: '2026-11-23',
      decidedBy: 'caseworker@kcz',
      tenancy: { startDate: '2026-12-01', rentStandard: 'STANDARD', monthlyRent: 273.3, unit: { id: unit }, offer: { id: o.id } },
    });
    expect(await householdStatus(t, h.id)).toBe('HOUSED');
    expect(await unitStatus(t, unit)).toBe('OCCUPIED');
    const [subsidy] = await t.database.db
      .select()
      .from(subsidies)
      .where(eq(subsidies.householdId, Number(h.id)));
    expect(subsidy).toMatchObject({ endDate: '2026-12-01', endReason: 'housed', endedBy: 'caseworker@kcz' });
    const [tenancy] = await t.database.db
      .select()
      .from(tenancies)
      .where(eq(tenancies.householdId, Number(h.id)));
    expect(tenancy).toMatchObject({ offerId: Number(o.id), createdBy: 'caseworker@kcz', endDate: null });
    expect(
      await t.database.db
        .select()
        .from(waitlistEntries)
        .where(eq(waitlistEntries.householdId, Number(h.id))),
    ).toHaveLength(1);
    expect(await countRows(t, 'rent_ledger')).toBe(ledgerBefore);
    const read = ok(
      await t.gql(`query($id: ID!) { household(id: $id) { tenancy { id offer { id } } unit { id currentOffer { id } } } }`, { id: h.id }),
    ).household;
    expect(read).toEqual({ tenancy: { id: accepted.tenancy.id, offer: { id: o.id } }, unit: { id: unit, currentOffer: null } });

    // decided: neither accepted again nor declined
    const again = await t.gql(ACCEPT, { input: { offerId: o.id, startDate: '2026-12-01' } });
    expect(error(again)).toMatchObject({ code: 'CONFLICT', field: 'input.offerId' });
    const decline = await t.gql(DECLINE, { input: { offerId: o.id, reason: 'changed mind' } });
    expect(error(decline)).toMatchObject({ code: 'CONFLICT', field: 'input.offerId' });
  });

  it('at the allowance rate when any member (not only the applicant) holds a minimum-living allowance on the start date', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    await feedAllowance(h.residentIds[1]!, '2026-01-01', '2026-12-01'); // the spouse, until the start date itself (inclusive)
    const o = await offer(h.id, await freeUnit(t, 'KC-KCZ', 45.55));
    const tenancy = ok(await t.gql(ACCEPT, { input: { offerId: o.id, startDate: '2026-12-01' } })).acceptOffer.tenancy;
    expect(tenancy).toMatchObject({ rentStandard: 'MINIMUM_ALLOWANCE', monthlyRent: 45.55 });
  });

  it('at the standard rate when the allowance ended the day before the start date', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    await feedAllowance(h.residentIds[0]!, '2026-01-01', '2026-11-30');
    const o = await offer(h.id, await freeUnit(t, 'KC-KCZ', 50));
    const tenancy = ok(await t.gql(ACCEPT, { input: { offerId: o.id, startDate: '2026-12-01' } })).acceptOffer.tenancy;
    expect(tenancy).toMatchObject({ rentStandard: 'STANDARD', monthlyRent: 300 });
  });

  it('uses the rent per m² in force on the start date', async () => {
    ok(
      await t.gql(`mutation { setPolicyParameter(input: { policyId: "KC", code: "RENT.STANDARD_PER_M2", value: 7.5, effectiveFrom: "2027-01-01" }) { code } }`),
    );
    const h = await waitlisted(t, 'KC-KCZ');
    const o = await offer(h.id, await freeUnit(t, 'KC-KCZ', 40.33));
    const tenancy = ok(await t.gql(ACCEPT, { input: { offerId: o.id, startDate: '2027-01-01' } })).acceptOffer.tenancy;
    expect(tenancy).toMatchObject({ rentStandard: 'STANDARD', monthlyRent: 302.48 }); // 40.33 × 7.5 = 302.475
  });

  it('by acceptBy: on the last day it signs; the day after it is refused, and the lapse job expires it', async () => {
    const onTime = await waitlisted(t, 'KC-KCZ');
    const late = await waitlisted(t, 'KC-KCZ');
    const onTimeOffer = await offer(onTime.id, await freeUnit(t, 'KC-KCZ'), '2026-11-09');
    const lateUnit = await freeUnit(t, 'KC-KCZ');
    const lateOffer = await offer(late.id, lateUnit, '2026-11-06');
    expect(onTimeOffer.acceptBy).toBe(TEST_TODAY);
    expect(lateOffer.acceptBy).toBe('2026-11-20');

    const refused = await t.gql(ACCEPT, { input: { offerId: lateOffer.id, on: '2026-11-21', startDate: '2026-12-01' } });
    expect(error(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.on' });
    const noTenancy = await t.database.db
      .select()
      .from(tenancies)
      .where(eq(tenancies.householdId, Number(late.id)));
    expect(noTenancy).toHaveLength(0);

    // the daily job lapses the offer past acceptBy, not the one whose last day is today
    expect(await expireOffers(t.database.db, TEST_TODAY)).toBeGreaterThanOrEqual(1);
    const [lapsed] = await t.database.db
      .select()
      .from(offers)
      .where(eq(offers.id, Number(lateOffer.id)));
    expect(lapsed).toMatchObject({ status: 'EXPIRED', decidedOn: '2026-11-21', decidedBy: 'system:offers-expire' });
    expect(await unitStatus(t, lateUnit)).toBe('FREE');
    const after = ok(await t.gql(`query($id: ID!) { household(id: $id) { status declinedOffers waitlistEntry { enteredOn } } }`, { id: late.id })).household;
    expect(after).toEqual({ status: 'WAITLISTED', declinedOffers: 1, waitlistEntry: { enteredOn: '2026-09-01' } });
    const expired = await t.gql(ACCEPT, { input: { offerId: lateOffer.id, on: '2026-11-20', startDate: '2026-12-01' } });
    expect(error(expired)).toMatchObject({ code: 'CONFLICT', field: 'input.offerId' });

    const signed = ok(await t.gql(ACCEPT, { input: { offerId: onTimeOffer.id, on: TEST_TODAY, startDate: '2026-12-01' } })).acceptOffer;
    expect(signed.status).toBe('ACCEPTED');
  });

  it('is a CONFLICT when the household left the waitlist meanwhile, and nothing is signed', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    const unit = await freeUnit(t, 'KC-KCZ');
    const o = await offer(h.id, unit);
    await t.database.db
      .update(households)
      .set({ status: 'EXITED' })
      .where(eq(households.id, Number(h.id)));
    const res = await t.gql(ACCEPT, { input: { offerId: o.id, startDate: '2026-12-01' } });
    expect(error(res)).toMatchObject({ code: 'CONFLICT', field: 'input.offerId' });
    expect(
      await t.database.db
        .select()
        .from(tenancies)
        .where(eq(tenancies.householdId, Number(h.id))),
    ).toHaveLength(0);
    const [row] = await t.database.db
      .select()
      .from(offers)
      .where(eq(offers.id, Number(o.id)));
    expect(row!.status).toBe('OPEN');
    expect(await unitStatus(t, unit)).toBe('OFFERED');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    const unit = await freeUnit(t, 'KC-KCZ');
    const o = await offer(h.id, unit, '2026-11-20');
    const before = await countRows(t, 'tenancies');
    const cases: [Record<string, unknown>, string][] = [
      [{ offerId: 'x', startDate: '2026-12-01' }, 'input.offerId'],
      [{ offerId: '999999', startDate: '2026-12-01' }, 'input.offerId'],
      [{ offerId: o.id, on: '2026-11-24', startDate: '2026-12-01' }, 'input.on'],
      [{ offerId: o.id, on: '2026-11-19', startDate: '2026-12-01' }, 'input.on'],
      [{ offerId: o.id, on: '2026-11-23', startDate: '2026-11-22' }, 'input.startDate'],
    ];
    for (const [input, field] of cases) {
      const res = await t.gql(ACCEPT, { input });
      expect(error(res), JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await countRows(t, 'tenancies')).toBe(before);
    expect(await unitStatus(t, unit)).toBe('OFFERED');
    expect(await householdStatus(t, h.id)).toBe('WAITLISTED');
  });
});

describe('declineOffer, withdrawOffer and ALLOCATION.DECLINES_MAX (2)', () => {
  it('a decline frees the unit and keeps the household waiting with its entry date', async () => {
    const h = await waitlisted(t, 'KC-KCZ', '2026-08-03');
    const unit = await freeUnit(t, 'KC-KCZ');
    const o = await offer(h.id, unit);
    const declined = ok(await caseworker().gql(DECLINE, { input: { offerId: o.id, reason: 'too far from school' } })).declineOffer;
    expect(declined).toMatchObject({
      status: 'DECLINED',
      decidedOn: TEST_TODAY,
      reason: 'too far from school',
      household: { id: h.id, status: 'WAITLISTED', declinedOffers: 1 },
    });
    expect(await unitStatus(t, unit)).toBe('FREE');
    const entry = ok(await t.gql(`query($id: ID!) { household(id: $id) { waitlistEntry { enteredOn } } }`, { id: h.id })).household.waitlistEntry;
    expect(entry).toEqual({ enteredOn: '2026-08-03' });
  });

  it('two refusals keep the household on the waitlist, a withdrawal does not count, the third refusal removes it', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    await subsidised(h.id);
    await t.database.db.insert(subsidies).values({ householdId: Number(h.id), startDate: '2026-10-01', monthlyAmount: 300, startedBy: 'test' });
    const unit = await freeUnit(t, 'KC-KCZ');
    for (const reason of ['first refusal', 'second refusal']) {
      const o = await offer(h.id, unit);
      ok(await t.gql(DECLINE, { input: { offerId: o.id, reason } }));
    }
    expect(await householdStatus(t, h.id)).toBe('SUBSIDISED');
    const withdrawn = await offer(h.id, unit);
    expect(ok(await t.as(CALLERS['MANAGER']!).gql(WITHDRAW, { input: { offerId: withdrawn.id, reason: 'roof repair' } })).withdrawOffer).toMatchObject({
      status: 'WITHDRAWN',
      reason: 'roof repair',
    });
    expect(await unitStatus(t, unit)).toBe('FREE');
    const still = ok(await t.gql(`query($id: ID!) { household(id: $id) { status declinedOffers waitlistEntry { removedOn } } }`, { id: h.id })).household;
    expect(still).toEqual({ status: 'SUBSIDISED', declinedOffers: 2, waitlistEntry: { removedOn: null } });

    const third = await offer(h.id, unit);
    const removed = ok(await t.gql(DECLINE, { input: { offerId: third.id, reason: 'third refusal' } })).declineOffer;
    expect(removed.household).toEqual({ id: h.id, status: 'EXITED', declinedOffers: 3 });
    expect(removed.reason).toContain('removed from the waitlist');
    const entry = ok(await t.gql(`query($id: ID!) { household(id: $id) { waitlistEntry { removedOn removedReason } } }`, { id: h.id })).household.waitlistEntry;
    expect(entry).toEqual({
      removedOn: TEST_TODAY,
      removedReason: expect.stringContaining('3 offers declined or let lapse, more than ALLOCATION.DECLINES_MAX (2)'),
    });
    expect(await unitStatus(t, unit)).toBe('FREE');
    const [subsidy] = await t.database.db
      .select()
      .from(subsidies)
      .where(eq(subsidies.householdId, Number(h.id)));
    expect(subsidy!.endDate).toBe(TEST_TODAY);
    expect(subsidy!.endReason).toContain('removed from the waitlist');
    const waitlist = ok(await t.gql(`{ waitlist(districtId: "KC-KCZ") { household { id } } }`)).waitlist as { household: { id: string } }[];
    expect(waitlist.map((w) => w.household.id)).not.toContain(h.id);
    const next = await t.gql(OFFER_UNIT, { input: { householdId: h.id, unitId: unit } });
    expect(error(next)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.householdId' });
  });

  it('a lapse counts as a refusal: two declines and a lapse remove the household', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    const unit = await freeUnit(t, 'KC-KCZ');
    for (const on of ['2026-10-01', '2026-10-02']) ok(await t.gql(DECLINE, { input: { offerId: (await offer(h.id, unit, on)).id, on, reason: 'no' } }));
    await offer(h.id, unit, '2026-10-05');
    await expireOffers(t.database.db, TEST_TODAY);
    const [last] = await t.database.db
      .select()
      .from(offers)
      .where(eq(offers.householdId, Number(h.id)))
      .orderBy(offers.id)
      .then((r) => r.slice(-1));
    expect(last).toMatchObject({ status: 'EXPIRED', decidedOn: '2026-10-20' });
    expect(last!.reason).toContain('removed from the waitlist');
    expect(await householdStatus(t, h.id)).toBe('EXITED');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    const unit = await freeUnit(t, 'KC-KCZ');
    const o = await offer(h.id, unit, '2026-11-20');
    const cases: [string, Record<string, unknown>, string][] = [
      [DECLINE, { offerId: o.id, reason: '  ' }, 'input.reason'],
      [DECLINE, { offerId: 'none', reason: 'no' }, 'input.offerId'],
      [DECLINE, { offerId: o.id, on: '2026-11-19', reason: 'no' }, 'input.on'],
      [DECLINE, { offerId: o.id, on: '2026-11-24', reason: 'no' }, 'input.on'],
      [WITHDRAW, { offerId: o.id, reason: '' }, 'input.reason'],
      [WITHDRAW, { offerId: '999999', reason: 'repair' }, 'input.offerId'],
      [WITHDRAW, { offerId: o.id, on: '2026-11-19', reason: 'repair' }, 'input.on'],
    ];
    for (const [mutation, input, field] of cases) {
      const res = await t.gql(mutation, { input });
      expect(error(res), JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const [row] = await t.database.db
      .select()
      .from(offers)
      .where(eq(offers.id, Number(o.id)));
    expect(row!.status).toBe('OPEN');
    expect(await unitStatus(t, unit)).toBe('OFFERED');
  });
});

describe('district scope: a caseworker of KC-KCZ and an offer of KC-LXM', () => {
  let lxmOffer: string;
  let lxmUnit: string;
  let kczOffer: string;
  beforeAll(async () => {
    const h = await waitlisted(t, 'KC-LXM');
    lxmUnit = await freeUnit(t, 'KC-LXM');
    lxmOffer = (await offer(h.id, lxmUnit)).id;
    const own = await waitlisted(t, 'KC-KCZ');
    kczOffer = (await offer(own.id, await freeUnit(t, 'KC-KCZ'))).id;
  });

  it('may not accept, decline or withdraw it, and nothing changes', async () => {
    for (const [mutation, input] of [
      [ACCEPT, { offerId: lxmOffer, startDate: '2026-12-01' }],
      [DECLINE, { offerId: lxmOffer, reason: 'no' }],
      [WITHDRAW, { offerId: lxmOffer, reason: 'no' }],
    ] as const) {
      const res = await caseworker().gql(mutation, { input });
      expect(error(res)?.['code']).toBe('FORBIDDEN');
    }
    const [row] = await t.database.db
      .select()
      .from(offers)
      .where(eq(offers.id, Number(lxmOffer)));
    expect(row!.status).toBe('OPEN');
    expect(await unitStatus(t, lxmUnit)).toBe('OFFERED');
  });

  it('may not read it, and lists only its own district’s offers', async () => {
    expect(error(await caseworker().gql(`query($id: ID!) { offer(id: $id) { id } }`, { id: lxmOffer }))?.['code']).toBe('FORBIDDEN');
    expect(ok(await caseworker().gql(`query($id: ID!) { offer(id: $id) { id } }`, { id: kczOffer })).offer).toEqual({ id: kczOffer });
    const list = ok(await caseworker().gql(`{ offers(first: 100) { totalCount nodes { id household { district { id } } } } }`)).offers;
    expect(list.nodes.map((n: { id: string }) => n.id)).toContain(kczOffer);
    expect(list.nodes.every((n: { household: { district: { id: string } } }) => n.household.district.id === 'KC-KCZ')).toBe(true);
    expect(list.totalCount).toBe(list.nodes.length);
    expect(error(await caseworker().gql(`{ offers(filter: { districtId: "KC-LXM" }) { totalCount } }`))?.['code']).toBe('FORBIDDEN');
  });

  it('a manager lists offers by district, status and household, paged', async () => {
    const all = ok(await t.gql(`{ offers(filter: { districtId: "KC-LXM", status: OPEN }, first: 100) { totalCount nodes { id status } } }`)).offers;
    expect(all.nodes.map((n: { id: string }) => n.id)).toContain(lxmOffer);
    expect(all.nodes.every((n: { status: string }) => n.status === 'OPEN')).toBe(true);
    const page = ok(await t.gql(`{ offers(first: 1) { pageInfo { hasNextPage endCursor } nodes { id } } }`)).offers;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = ok(await t.gql(`query($after: String) { offers(first: 1, after: $after) { nodes { id } } }`, { after: page.pageInfo.endCursor })).offers;
    expect(Number(next.nodes[0].id)).toBeGreaterThan(Number(page.nodes[0].id));
  });
});

describe('each role × each allocation operation: allowed, or FORBIDDEN', () => {
  let kczOffer: string;
  let kczHousehold: string;
  beforeAll(async () => {
    const h = await waitlisted(t, 'KC-KCZ');
    kczHousehold = h.id;
    kczOffer = (await offer(h.id, await freeUnit(t, 'KC-KCZ'))).id;
  });

  // allowed calls fail on their input (after access control), so the matrix changes nothing
  const OPERATIONS: { name: string; query: string; variables: () => Record<string, unknown>; allowed: (keyof typeof CALLERS)[] }[] = [
    { name: 'offer', query: 'query($id: ID!) { offer(id: $id) { id } }', variables: () => ({ id: kczOffer }), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
    { name: 'offers', query: '{ offers { totalCount } }', variables: () => ({}), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
    {
      name: 'Household.offers',
      query: 'query($id: ID!) { household(id: $id) { offers { id } declinedOffers } }',
      variables: () => ({ id: kczHousehold }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    {
      name: 'drawLottery',
      query: 'mutation { drawLottery(input: { districtId: "KC-KCZ", seed: "short", drawnOn: "2026-11-23" }) { id } }',
      variables: () => ({}),
      allowed: ['ADMIN', 'MANAGER'],
    },
    { name: 'offerUnit', query: OFFER_UNIT, variables: () => ({ input: { householdId: kczHousehold, unitId: '0' } }), allowed: ['ADMIN', 'MANAGER'] },
    {
      name: 'acceptOffer',
      query: ACCEPT,
      variables: () => ({ input: { offerId: kczOffer, on: '2099-01-01', startDate: '2099-01-01' } }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    { name: 'declineOffer', query: DECLINE, variables: () => ({ input: { offerId: kczOffer, reason: '' } }), allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'] },
    { name: 'withdrawOffer', query: WITHDRAW, variables: () => ({ input: { offerId: kczOffer, reason: '' } }), allowed: ['ADMIN', 'MANAGER'] },
  ];
  for (const op of OPERATIONS) {
    for (const role of Object.keys(CALLERS) as (keyof typeof CALLERS)[]) {
      const allowed = op.allowed.includes(role);
      it(`${op.name} × ${role}: ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const res = await t.as(CALLERS[role]!).gql(op.query, op.variables());
        const codes = (res.body.errors ?? []).map((e) => e.extensions?.['code']);
        if (allowed) expect(codes).not.toContain('FORBIDDEN');
        else expect(codes).toContain('FORBIDDEN');
      });
    }
  }
  it('leaves the offer open', async () => {
    const [row] = await t.database.db
      .select()
      .from(offers)
      .where(eq(offers.id, Number(kczOffer)));
    expect(row!.status).toBe('OPEN');
  });
});

describe('OFFER_EXPIRY_CRON', () => {
  it('defaults to 00:15 daily and refuses a bad cron', () => {
    expect(loadConfig({}).OFFER_EXPIRY_CRON).toBe('15 0 * * *');
    expect(() => loadConfig({ OFFER_EXPIRY_CRON: 'daily' })).toThrow(/OFFER_EXPIRY_CRON/);
  });
});
