// Issue 12, "done when": the life of two households on a fresh hub with no demo data, as its users
// would live it, over HTTP: an ADMIN creates a district; a manager imports its units from a file; a
// caseworker registers two households and takes them through KC-13; a manager draws; one household
// accepts and is housed, the other declines and stays waitlisted; the job charges the rent and a bank
// file pays some of it; the water, power and gas suppliers report six empty months; the vacancy alert
// leads to an exit case; the exit completes; the freed unit is offered to the household that declined.
// The README's walkthrough takes the same steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerClaims } from '../src/auth/caller.js';
import { loadConfig } from '../src/config.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { createLogger } from '../src/logger.js';
import { createHub } from '../src/server.js';
import { startTestHub, TEST_JWT_SECRET, TEST_TODAY, type TestHub } from './helpers/hub.js';

const DISTRICT = 'KC-XYZ';
const ADMIN: CallerClaims = { sub: 'admin@bureau', role: 'ADMIN' };
const MANAGER: CallerClaims = { sub: 'manager@bureau', role: 'MANAGER' };
const CASEWORKER: CallerClaims = { sub: 'caseworker@xyz', role: 'CASEWORKER', districts: [DISTRICT] };
const UTILITIES: CallerClaims = { sub: 'utilities-system', role: 'AGENCY', agency: 'utilities' };

let t: TestHub;
const as = (caller: Parameters<TestHub['as']>[0]) => async (query: string, variables?: Record<string, unknown>) => {
  const res = await t.as(caller).gql(query, variables);
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data;
};

async function upload(caller: Parameters<TestHub['as']>[0], path: string, contentType: string, body: string) {
  const token = await t.as(caller).token;
  const res = await fetch(t.url.replace('/graphql', path), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const family = (seq: number, head: string, spouse: string) => [
  { residentId: makeResidentId('130827', head, seq, 'MALE'), name: `张${seq}`, birthDate: head, relation: 'HEAD' },
  { residentId: makeResidentId('130827', spouse, seq + 1, 'FEMALE'), name: `李${seq}`, birthDate: spouse, relation: 'SPOUSE' },
];

const state = { housed: '', declined: '', housedUnit: '', declinedUnit: '', tenancy: '', rent: 0, alert: '', exitCase: '' };

beforeAll(async () => {
  t = await startTestHub({ bare: true });
});
afterAll(async () => {
  await t?.close();
});

describe('two households on a fresh hub, from registration to exit and re-offer', () => {
  it('starts empty: no district, no unit, no household', async () => {
    expect(await as(ADMIN)('{ districts { id } households { totalCount } housingUnits { totalCount } }')).toEqual({
      districts: [],
      households: { totalCount: 0 },
      housingUnits: { totalCount: 0 },
    });
  });

  it('an ADMIN creates the district under Kuancheng’s policy; a manager imports its two units from a CSV file', async () => {
    await as(ADMIN)('mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { id } }', {
      input: { id: DISTRICT, name: '新区 New Town', jurisdiction: 'KUANCHENG', policyId: 'KC' },
    });
    const csv = `address,districtId,floorArea,rooms,kind\n新区 1栋 101,${DISTRICT},45.5,2,PUBLIC_RENTAL\n新区 1栋 102,${DISTRICT},52,2,PUBLIC_RENTAL\n`;
    const imported = await upload(MANAGER, '/imports/units?batchKey=stock-2026-01', 'text/csv', csv);
    expect(imported).toMatchObject({ status: 200, body: { status: 'ACCEPTED', accepted: 2 } });
    const units = await as(MANAGER)(`{ housingUnits(filter: { districtId: "${DISTRICT}" }) { nodes { status } } }`);
    expect(units.housingUnits.nodes).toEqual([{ status: 'FREE' }, { status: 'FREE' }]);
  });

  it('a caseworker registers two households and takes them through the KC-13 stages to the waitlist', async () => {
    const caseworker = as(CASEWORKER);
    for (const [key, members] of [
      ['housed', family(11, '1980-03-10', '1982-06-01')],
      ['declined', family(21, '1975-09-15', '1977-01-20')],
    ] as const) {
      const reg = await caseworker('mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id stage } } }', {
        input: { districtId: DISTRICT, category: 'LOCAL', applicationDate: '2026-01-05', members, currentHousing: { floorArea: 20, tenure: 'RENTED' } },
      });
      state[key] = reg.registerHousehold.id;
      for (const on of ['2026-01-06', '2026-01-14', '2026-01-19', '2026-02-06']) {
        await caseworker('mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }', {
          input: { applicationId: reg.registerHousehold.application.id, on },
        });
      }
    }
    const waiting = await caseworker(
      `{ households(filter: { districtId: "${DISTRICT}" }) { nodes { status application { stage } waitlistEntry { enteredOn } } } }`,
    );
    expect(waiting.households.nodes).toEqual([
      { status: 'WAITLISTED', application: { stage: 'APPROVED' }, waitlistEntry: { enteredOn: '2026-02-06' } },
      { status: 'WAITLISTED', application: { stage: 'APPROVED' }, waitlistEntry: { enteredOn: '2026-02-06' } },
    ]);
  });

  it('a manager draws: each household is offered a unit, which is held for it', async () => {
    const draw = await as(MANAGER)(
      'mutation($input: DrawLotteryInput!) { drawLottery(input: $input) { verified offers { id household { id } unit { id status } acceptBy } } }',
      {
        input: { districtId: DISTRICT, seed: 'published-seed-2026-03', drawnOn: '2026-03-02' },
      },
    );
    expect(draw.drawLottery.verified).toBe(true);
    expect(draw.drawLottery.offers).toHaveLength(2);
    for (const offer of draw.drawLottery.offers) {
      expect(offer.unit.status).toBe('OFFERED');
      expect(offer.acceptBy).toBe('2026-03-16'); // 10 working days
      if (offer.household.id === state.housed) state.housedUnit = offer.unit.id;
      else state.declinedUnit = offer.unit.id;
    }
    const caseworker = as(CASEWORKER);
    const offerOf = async (household: string) => (await caseworker(`{ household(id: "${household}") { offers { id } } }`)).household.offers[0].id;
    const accepted = await caseworker(
      'mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) { tenancy { id startDate rentStandard monthlyRent } } }',
      {
        input: { offerId: await offerOf(state.housed), on: '2026-03-05', startDate: '2026-04-01' },
      },
    );
    state.tenancy = accepted.acceptOffer.tenancy.id;
    state.rent = accepted.acceptOffer.tenancy.monthlyRent;
    expect(accepted.acceptOffer.tenancy).toMatchObject({ startDate: '2026-04-01', rentStandard: 'STANDARD' });
    await caseworker('mutation($input: DeclineOfferInput!) { declineOffer(input: $input) { status } }', {
      input: { offerId: await offerOf(state.declined), on: '2026-03-05', reason: 'too far from the children’s school' },
    });
  });

  it('leaves one household housed in an occupied unit, the other still waitlisted from its first date, its unit free', async () => {
    const res = await as(CASEWORKER)(`{ housed: household(id: "${state.housed}") { status unit { id status } }
      declined: household(id: "${state.declined}") { status declinedOffers waitlistEntry { enteredOn } }
      unit: housingUnit(id: "${state.declinedUnit}") { status } }`);
    expect(res).toEqual({
      housed: { status: 'HOUSED', unit: { id: state.housedUnit, status: 'OCCUPIED' } },
      declined: { status: 'WAITLISTED', declinedOffers: 1, waitlistEntry: { enteredOn: '2026-02-06' } },
      unit: { status: 'FREE' },
    });
  });

  it('the rent job, when the queue starts, charges every month from April through this one', async () => {
    // another instance of the hub on the same database, running the job queue as production does
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JOBS_ENABLED: 'true', JOBS_POLL_SECONDS: '0.5', AUTH_JWT_SECRET: TEST_JWT_SECRET });
    const worker = await createHub({ config, database: t.database, logger: createLogger('silent'), clock: () => new Date(`${TEST_TODAY}T09:00:00`) });
    try {
      let months = 0;
      for (let i = 0; i < 120 && months < 8; i++) {
        months = (await as(CASEWORKER)(`{ household(id: "${state.housed}") { tenancy { rentLedger { month } } } }`)).household.tenancy.rentLedger.length;
        if (months < 8) await new Promise((r) => setTimeout(r, 500));
      }
      expect(months).toBe(8); // 2026-04 … 2026-11
    } finally {
      await worker.stop();
    }
  });

  it('a manager imports the bank’s file: April to June paid, July to November owed', async () => {
    const lines = ['2026-04-01', '2026-05-01', '2026-06-01'].map(
      (month, i) => `${state.tenancy},${state.rent},${month.slice(0, 8)}0${i + 3},BANK-2026-${i + 4},${month}`,
    );
    const res = await upload(
      MANAGER,
      '/imports/rent-payments?batchKey=bank-2026-06',
      'text/csv',
      `tenancyId,amount,paidOn,reference,month\n${lines.join('\n')}\n`,
    );
    expect(res).toMatchObject({ status: 200, body: { status: 'ACCEPTED', accepted: 3 } });
    const arrears = await as(CASEWORKER)(`{ household(id: "${state.housed}") { tenancy { arrears { monthsUnpaid amountOutstanding oldestUnpaidMonth } } } }`);
    expect(arrears.household.tenancy.arrears).toEqual({
      monthsUnpaid: 5,
      amountOutstanding: Math.round(5 * state.rent * 100) / 100,
      oldestUnpaidMonth: '2026-07-01',
    });
  });

  it('the utilities report six months with nobody living there: the vacancy exit alert is raised', async () => {
    const months = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
    const ndjson = months
      .flatMap((month, i) => {
        const lived = i === 0;
        return [
          { unitId: Number(state.housedUnit), month, kind: 'WATER', quantity: lived ? 6 : 0, unit: 'm3' },
          { unitId: Number(state.housedUnit), month, kind: 'ELECTRICITY', quantity: lived ? 150 : 2, unit: 'kWh' },
          { unitId: Number(state.housedUnit), month, kind: 'GAS', quantity: lived ? 10 : 0, unit: 'm3' },
        ];
      })
      .map((r) => JSON.stringify(r))
      .join('\n');
    const feed = await upload(UTILITIES, '/feeds/utilities/reading?batchKey=ut-2026-10&asOf=2026-11-05', 'application/x-ndjson', ndjson);
    expect(feed.status).toBe(200);
    expect(feed.body['alertsRaised']).toBeGreaterThanOrEqual(1);
    const alerts = await as(CASEWORKER)(`{ alerts(filter: { householdId: "${state.housed}", rule: "VACANCY_EXIT" }) { nodes { id article period } } }`);
    expect(alerts.alerts.nodes).toHaveLength(1);
    expect(alerts.alerts.nodes[0]).toMatchObject({ article: 'KC-19(1)', period: '2026-05' });
    state.alert = alerts.alerts.nodes[0].id;
  });

  it('the alert leads to an exit case: notice served, the unit inspected, the exit completed with the rent still owed', async () => {
    const caseworker = as(CASEWORKER);
    const opened = await caseworker('mutation($input: OpenExitCaseInput!) { openExitCase(input: $input) { id status alert { id status } } }', {
      input: { householdId: state.housed, ground: 'NOT_LIVING_IN_UNIT', summary: 'no water, power or gas used since May', alertId: state.alert },
    });
    state.exitCase = opened.openExitCase.id;
    expect(opened.openExitCase).toMatchObject({ status: 'OPEN', alert: { id: state.alert, status: 'ACKNOWLEDGED' } });
    await caseworker('mutation($input: ServeExitNoticeInput!) { serveExitNotice(input: $input) { status vacateBy } }', {
      input: { caseId: state.exitCase, servedOn: TEST_TODAY },
    });
    const inspection = await caseworker('mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }', {
      input: {
        unitId: state.housedUnit,
        purpose: 'EXIT',
        visitedOn: TEST_TODAY,
        staff: ['王**', '赵**'],
        outcome: 'NO_ISSUES',
        findings: 'unit empty and clean; keys handed back',
        exitCaseId: state.exitCase,
      },
    });
    const done = await caseworker('mutation($input: CompleteExitInput!) { completeExit(input: $input) { status arrearsAtExit history { action } } }', {
      input: { caseId: state.exitCase, on: TEST_TODAY, inspectionId: inspection.recordInspection.id },
    });
    expect(done.completeExit.status).toBe('COMPLETED');
    expect(done.completeExit.arrearsAtExit).toBe(Math.round(5 * state.rent * 100) / 100); // July to November, owed still (KC-36)
    const after = await caseworker(`{ household(id: "${state.housed}") { status tenancy { id } exitCases { status } }
      unit: housingUnit(id: "${state.housedUnit}") { status } alert: alerts(filter: { householdId: "${state.housed}", rule: "VACANCY_EXIT" }) { nodes { exitCase { id } } } }`);
    expect(after).toEqual({
      household: { status: 'EXITED', tenancy: null, exitCases: [{ status: 'COMPLETED' }] },
      unit: { status: 'FREE' },
      alert: { nodes: [{ exitCase: { id: state.exitCase } }] },
    });
    const ended = await caseworker(`{ household(id: "${state.housed}") { tenancies { endDate endReason arrears { monthsUnpaid } } } }`);
    expect(ended.household.tenancies).toEqual([{ endDate: TEST_TODAY, endReason: expect.stringMatching(/.+/), arrears: { monthsUnpaid: 5 } }]);
  });

  it('the freed unit is offered to the household that declined the first offer', async () => {
    const offer = await as(MANAGER)('mutation($input: OfferUnitInput!) { offerUnit(input: $input) { status unit { id status } household { id status } } }', {
      input: { householdId: state.declined, unitId: state.housedUnit, on: TEST_TODAY },
    });
    expect(offer.offerUnit).toEqual({
      status: 'OPEN',
      unit: { id: state.housedUnit, status: 'OFFERED' },
      household: { id: state.declined, status: 'WAITLISTED' },
    });
  });

  it('kept a record of who did each step', async () => {
    const log = await as({ sub: 'auditor', role: 'AUDITOR' })('{ auditLog(first: 100) { nodes { actor action } } }');
    const steps = new Set(log.auditLog.nodes.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`));
    for (const step of [
      'admin@bureau:createDistrict',
      'manager@bureau:import:units',
      'caseworker@xyz:registerHousehold',
      'manager@bureau:drawLottery',
      'caseworker@xyz:acceptOffer',
      'caseworker@xyz:declineOffer',
      'manager@bureau:import:rent-payments',
      'caseworker@xyz:completeExit',
      'manager@bureau:offerUnit',
    ]) {
      expect(steps).toContain(step);
    }
  });
});
