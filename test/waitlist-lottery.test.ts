import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/resident-id.js';
import { allocate, drawOrder } from '../src/policy/lottery.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let sequence = 300;
let drawId: string;

/** registers a household in KC-TDH and approves it onto the waitlist on `approvedOn` */
async function waitlisted(floorArea: number, applicationDate: string, approvedOn: string): Promise<string> {
  sequence += 1;
  const reg = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }`, {
    input: {
      districtId: 'KC-TDH',
      category: 'LOCAL',
      applicationDate,
      members: [{ residentId: makeResidentId('130827', '1970-01-01', sequence, 'MALE'), name: '户主', birthDate: '1970-01-01', relation: 'HEAD' }],
      currentHousing: { floorArea, tenure: floorArea === 0 ? 'NONE' : 'RENTED' },
    },
  });
  const applicationId = reg.body.data.registerHousehold.application.id;
  for (let i = 0; i < 4; i++) {
    const res = await t.gql(`mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }`, {
      input: { applicationId, on: approvedOn },
    });
    expect(res.body.errors).toBeUndefined();
  }
  return reg.body.data.registerHousehold.id;
}

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

describe('waitlist (KC-21..23, Guiyang points)', () => {
  it('ranks by total score, ties by earlier application, and flags a year of waiting for re-check', async () => {
    const a = await waitlisted(11, '2025-09-01', '2025-11-24'); // 4 + 10 points, waiting a day under a year
    const b = await waitlisted(3, '2025-10-01', '2025-11-23'); // 14 + 10, waiting exactly a year
    const c = await waitlisted(3, '2025-08-01', '2026-01-05'); // 14 + 10, applied earlier than b
    const d = await waitlisted(0, '2026-02-01', '2026-03-01'); // no housing: 25 + 10
    const res = await t.gql(`{ waitlist(districtId: "KC-TDH") { rank household { id } score { total } recheckDue daysWaiting } }`);
    expect(res.body.errors).toBeUndefined();
    const list = res.body.data.waitlist as { rank: number; household: { id: string }; score: { total: number }; recheckDue: boolean }[];
    expect(list.map((w) => w.household.id)).toEqual([d, c, b, a]);
    expect(list.map((w) => w.score.total)).toEqual([35, 24, 24, 14]);
    expect(list.find((w) => w.household.id === b)!.recheckDue).toBe(true);
    expect(list.find((w) => w.household.id === a)!.recheckDue).toBe(false);
  });
});

describe('unit lottery (KC-13(4))', () => {
  it('is the same order for the same seed and inputs, and another for another seed', () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(drawOrder('2026-11 KC-TDH public seed', ids)).toEqual(drawOrder('2026-11 KC-TDH public seed', ids));
    expect(drawOrder('another seed 12345', ids)).not.toEqual(drawOrder('2026-11 KC-TDH public seed', ids));
    expect([...drawOrder('x-seed-123', ids)].sort((x, y) => x - y)).toEqual(ids);
  });

  it('draws the waitlisted households for the free units, stores the draw and verifies it', async () => {
    const res = await t.gql(`mutation { drawLottery(input: { districtId: "KC-TDH", seed: "published 2026-11-20", drawnOn: "2026-11-23" }) {
      id seed householdIds unitIds verified allocation { household { id status } unit { id district { id } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const draw = res.body.data.drawLottery;
    drawId = draw.id;
    expect(draw.verified).toBe(true);
    expect(draw.householdIds).toHaveLength(4);
    expect(draw.unitIds.length).toBeGreaterThan(0);
    const expected = allocate('published 2026-11-20', draw.householdIds.map(Number), draw.unitIds.map(Number));
    expect(
      draw.allocation.map((a: { household: { id: string }; unit: { id: string } | null }) => ({
        householdId: Number(a.household.id),
        unitId: a.unit ? Number(a.unit.id) : null,
      })),
    ).toEqual(expected);
    const again = await t.gql(`query($id: ID!) { lotteryDraw(id: $id) { seed verified } }`, { id: draw.id });
    expect(again.body.data.lotteryDraw).toEqual({ seed: 'published 2026-11-20', verified: true });
  });

  it('offers each household that drew a unit that unit, to accept within ALLOCATION.ACCEPT_WORKING_DAYS', async () => {
    const res = await t.gql(
      `query($id: ID!) { lotteryDraw(id: $id) { allocation { household { id } unit { id } } offers { status offeredOn acceptBy household { id status } unit { id currentOffer { id } } } } }`,
      { id: drawId },
    );
    expect(res.body.errors).toBeUndefined();
    const { allocation, offers } = res.body.data.lotteryDraw;
    const drawn = allocation
      .filter((a: { unit: unknown }) => a.unit !== null)
      .map((a: { household: { id: string }; unit: { id: string } }) => [a.household.id, a.unit.id]);
    expect(offers.map((o: { household: { id: string }; unit: { id: string } }) => [o.household.id, o.unit.id])).toEqual(drawn);
    for (const o of offers) expect(o).toMatchObject({ status: 'OPEN', offeredOn: '2026-11-23', acceptBy: '2026-12-07', household: { status: 'WAITLISTED' } });
    // every free unit is now on offer: a second draw has nothing to draw
    const second = await t.gql(`mutation { drawLottery(input: { districtId: "KC-TDH", seed: "published 2026-11-21", drawnOn: "2026-11-23" }) { id } }`);
    expect(second.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.districtId' });
  });

  it('refuses a short seed or a district with nobody waiting', async () => {
    const short = await t.gql(`mutation { drawLottery(input: { districtId: "KC-TDH", seed: "abc", drawnOn: "2026-11-23" }) { id } }`);
    expect(short.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.seed' });
    const empty = await t.gql(`mutation { drawLottery(input: { districtId: "KC-EYY", seed: "published seed", drawnOn: "2026-11-23" }) { id } }`);
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.districtId' });
  });
});
