// KC-23: waiting is normally at most a year; a household still waiting after one (届满: a full year
// counts) is flagged for re-check and re-queueing. A household on rent subsidy is still waiting (KC-26).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
let sequence = 600;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

async function waitingSince(approvedOn: string): Promise<string> {
  const members = [
    { residentId: makeResidentId('130827', '1979-05-06', ++sequence, 'MALE'), name: '户主', birthDate: '1979-05-06', relation: 'HEAD' },
    { residentId: makeResidentId('130827', '1981-02-03', ++sequence, 'FEMALE'), name: '配偶', birthDate: '1981-02-03', relation: 'SPOUSE' },
  ];
  const reg = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }`, {
    input: { districtId: 'KC-KCZ', category: 'LOCAL', applicationDate: '2025-10-01', members, currentHousing: { floorArea: 20, tenure: 'RENTED' } },
  });
  expect(reg.body.errors).toBeUndefined();
  for (const on of ['2025-10-02', '2025-10-03', '2025-10-06', approvedOn]) {
    const res = await t.gql(`mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }`, {
      input: { applicationId: reg.body.data.registerHousehold.application.id, on },
    });
    expect(res.body.errors).toBeUndefined();
  }
  return reg.body.data.registerHousehold.id;
}

async function waitingAlerts(id: string): Promise<string[]> {
  expect((await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [id] })).body.errors).toBeUndefined();
  const res = await t.gql(`query($id: ID!) { alerts(filter: { householdId: $id, rule: "WAITING_OVER_YEAR" }) { nodes { period article } } }`, { id });
  return res.body.data.alerts.nodes.map((a: { period: string; article: string }) => `${a.article} ${a.period}`);
}

describe('waiting over a year (KC-23)', () => {
  it('a full year on the waitlist, to the day, raises the re-check alert', async () => {
    expect(await waitingAlerts(await waitingSince('2025-11-23'))).toEqual(['KC-23 2025-11-23']);
  });

  it('a day short of a year raises nothing', async () => {
    expect(await waitingAlerts(await waitingSince('2025-11-24'))).toEqual([]);
  });

  it('a household on rent subsidy is still waiting, and is flagged too', async () => {
    const id = await waitingSince('2025-11-20');
    const subsidy = await t.gql(`mutation($input: StartSubsidyInput!) { startSubsidy(input: $input) { id } }`, {
      input: { householdId: id, startDate: '2025-12-01' },
    });
    expect(subsidy.body.errors).toBeUndefined();
    expect(await waitingAlerts(id)).toEqual(['KC-23 2025-11-20']);
  });
});
