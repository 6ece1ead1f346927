// Issue 13, items 5, 6 and 7: what a caseworker may check, what the audit log keeps, what an alert
// carries to systems outside the bureau.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/auth/tables.js';
import { households } from '../src/db/schema.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { receiver } from './helpers/receiver.js';
import { CALLERS } from './helpers/roles.js';
import { buildHousehold, memberIds } from './helpers/scenario.js';

let t: TestHub;
let own: string;
let other: string;
let ownMember: string;
let otherMember: string;

beforeAll(async () => {
  t = await startTestHub();
  own = await buildHousehold(t, { vehicles: [300_000] });
  other = await buildHousehold(t, {});
  await t.database.db
    .update(households)
    .set({ districtId: 'KC-LXM' })
    .where(eq(households.id, Number(other)));
  ownMember = (await memberIds(t, own))[0]!;
  otherMember = (await memberIds(t, other))[0]!;
});
afterAll(async () => {
  await t?.close();
});

const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);

const CHECK = `query($input: ApplicantCheckInput!) { checkApplicant(input: $input) { verdict discrepancies { fact } } }`;
const applicant = (...ids: string[]) => ({
  input: {
    category: 'LOCAL',
    members: ids.map((r, i) => ({ residentId: r, relation: i === 0 ? 'HEAD' : 'CHILD', declaredAnnualIncome: 1 })),
    currentHousing: { floorArea: 10, tenure: 'RENTED' },
  },
});

describe('item 5: checkApplicant stays within a caseworker’s districts', () => {
  const caseworker = () => t.as(CALLERS['CASEWORKER']!);
  const stranger = makeResidentId('130827', '1990-04-04', 321, 'MALE');

  it('refuses a CASEWORKER of KC-KCZ naming a current member of a KC-LXM household, as person(residentId) does', async () => {
    for (const ids of [[otherMember], [stranger, otherMember]]) {
      const res = await caseworker().gql(CHECK, applicant(...ids));
      expect(res.body.data).toBeNull();
      expect(res.body.errors![0]).toMatchObject({ message: 'forbidden', extensions: { code: 'FORBIDDEN' } });
      // the refusal names no one
      expect(JSON.stringify(res.body)).not.toContain(otherMember.slice(6, 14));
    }
    const person = await caseworker().gql(`query($r: String!) { person(residentId: $r) { birthDate } }`, { r: otherMember });
    expect(codes(person)).toContain('FORBIDDEN');
  });

  it('reads no agency record of the refused person', async () => {
    const before = (await t.database.db.select().from(auditLog).where(eq(auditLog.subject, otherMember))).length;
    await caseworker().gql(CHECK, applicant(otherMember));
    const after = (await t.database.db.select().from(auditLog).where(eq(auditLog.subject, otherMember))).length;
    expect(after).toBe(before);
  });

  it('checks a person registered nowhere, and a member of its own district', async () => {
    for (const id of [stranger, ownMember]) {
      const res = await caseworker().gql(CHECK, applicant(id));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.checkApplicant.verdict).toBeTruthy();
    }
  });

  it('checks a former member of another district’s household (no longer that district’s)', async () => {
    const [, leaving] = await memberIds(t, other);
    await t.database.db.execute(`update persons set left_on = '2026-01-01', left_reason = 'MOVED_OUT' where resident_id = '${leaving}'` as never);
    const res = await caseworker().gql(CHECK, applicant(leaving!));
    expect(res.body.errors).toBeUndefined();
  });

  it('MANAGER and ADMIN check anyone', async () => {
    for (const caller of [CALLERS['MANAGER']!, CALLERS['ADMIN']!]) {
      const res = await t.as(caller).gql(CHECK, applicant(otherMember));
      expect(res.body.errors).toBeUndefined();
    }
  });

  const matrix: Record<string, boolean> = { ADMIN: true, MANAGER: true, CASEWORKER: false, AGENCY: false, AUDITOR: false, ALERT_CONSUMER: false };
  for (const [role, allowed] of Object.entries(matrix)) {
    it(`${role} ${allowed ? 'may' : 'may not'} check a member of a KC-LXM household`, async () => {
      const res = await t.as(CALLERS[role]!).gql(CHECK, applicant(otherMember));
      expect(codes(res).includes('FORBIDDEN')).toBe(!allowed);
    });
  }
});

describe('item 6: the audit log keeps no secret and masks people, at write time', () => {
  it('a webhook’s secret is never stored; member names and resident IDs are stored masked', async () => {
    const secret = 'forge-me-if-you-can-0123456789';
    const hook = await t.gql(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id } }`, {
      input: { url: 'http://127.0.0.1:9/x', secret },
    });
    expect(hook.body.errors).toBeUndefined();
    const residentId = makeResidentId('130827', '1970-02-02', 77, 'MALE');
    const reg = await t.as(CALLERS['CASEWORKER']!).gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
      input: {
        districtId: 'KC-KCZ',
        category: 'LOCAL',
        members: [{ residentId, name: '王建国', birthDate: '1970-02-02', relation: 'HEAD' }],
        currentHousing: { floorArea: 20, tenure: 'RENTED' },
      },
    });
    expect(reg.body.errors).toBeUndefined();
    const rows = await t.database.db.select().from(auditLog);
    const stored = JSON.stringify(rows.map((r) => r.detail));
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain('王建国');
    expect(stored).not.toContain(residentId);
    const webhook = rows.find((r) => r.action === 'registerWebhook')!;
    expect(webhook.detail).toMatchObject({ input: { secret: '[redacted]', url: 'http://127.0.0.1:9/x' } });
    const registration = rows.find((r) => r.action === 'registerHousehold' && r.householdId === Number(reg.body.data.registerHousehold.id))!;
    expect(registration.detail).toMatchObject({ input: { members: [{ name: '王**', residentId: `130827********${residentId.slice(-4)}` }] } });
    // a district's name is not a person's
    const district = await t.gql(`mutation { createDistrict(input: { id: "KC-TST", name: "测试镇", jurisdiction: "宽城满族自治县", policyId: "KC" }) { id } }`);
    expect(district.body.errors).toBeUndefined();
    const created = (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'createDistrict')))[0]!;
    expect(created.detail).toMatchObject({ input: { name: '测试镇' } });
  });

  it('a disability certificate number (the holder’s resident ID and two digits) is stored masked as the API shows it', async () => {
    const residentId = makeResidentId('130827', '1975-04-03', 35, 'MALE');
    const reg = await t.as(CALLERS['CASEWORKER']!).gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id members { id } } }`, {
      input: {
        districtId: 'KC-KCZ',
        category: 'LOCAL',
        members: [{ residentId, name: '李四', birthDate: '1975-04-03', relation: 'HEAD' }],
        currentHousing: { floorArea: 20, tenure: 'RENTED' },
      },
    });
    expect(reg.body.errors).toBeUndefined();
    const personId = reg.body.data.registerHousehold.members[0].id;
    const recorded = await t
      .as(CALLERS['CASEWORKER']!)
      .gql(
        `mutation($p: ID!, $c: String!) { recordSpecialDifficulty(input: { personId: $p, kind: DISABILITY_2, certificateNo: $c, issuedBy: "残联" }) { certificateNo } }`,
        { p: personId, c: `${residentId}22` },
      );
    expect(recorded.body.errors).toBeUndefined();
    const shown = recorded.body.data.recordSpecialDifficulty.certificateNo;
    expect(shown).toBe(`130827********${residentId.slice(-4)}22`);
    const [row] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'recordSpecialDifficulty'));
    expect(JSON.stringify(row!.detail)).not.toContain(residentId);
    expect(row!.detail).toMatchObject({ input: { certificateNo: shown } });
  });

  it('the AUDITOR reads the entries as stored: no secret, names masked', async () => {
    const log = await t.as(CALLERS['AUDITOR']!).gql(`{ auditLog(first: 100) { nodes { action detail } } }`);
    expect(log.body.errors).toBeUndefined();
    const text = JSON.stringify(log.body.data.auditLog.nodes);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('forge-me-if-you-can');
    expect(text).not.toContain('王建国');
  });
});

describe('item 7: alerts outside the bureau carry no personal facts', () => {
  const ALERTS = `{ alerts(first: 50) { nodes { rule article severity householdId districtId period summary } } }`;
  let deceased: string;

  beforeAll(async () => {
    const hook = await receiver(204);
    try {
      const reg = await t.gql(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id } }`, {
        input: { url: hook.url, secret: 'a-shared-secret-of-32-characters', districtId: 'KC-KCZ' },
      });
      expect(reg.body.errors).toBeUndefined();
      deceased = (await memberIds(t, own))[1]!;
      // an occupying household, so its failing vehicle criterion is an alert too (KC-19)
      await t.database.db
        .update(households)
        .set({ status: 'HOUSED' })
        .where(eq(households.id, Number(own)));
      const feed = await t.gql(
        `mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "privacy-death", asOf: "2026-11-20", records: $r) { rejected } }`,
        {
          r: { death: [{ residentId: deceased, diedOn: '2026-11-01' }] },
        },
      );
      expect(feed.body.errors).toBeUndefined();
      await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [own] });
      for (let i = 0; i < 200 && !hook.received.some((r) => r.body.includes('MEMBER_DEATH')); i++) await new Promise((r) => setTimeout(r, 25));
      webhookBodies = hook.received.map((r) => r.body);
    } finally {
      await hook.close();
    }
  });
  let webhookBodies: string[] = [];

  it('a webhook’s MEMBER_DEATH payload has the resident ID masked, and no date of death', async () => {
    const body = webhookBodies.find((b) => b.includes('MEMBER_DEATH'));
    expect(body).toBeDefined();
    expect(body).not.toContain(deceased);
    expect(body).not.toContain('2026-11-01');
    expect(JSON.parse(body!).alert).toMatchObject({
      rule: 'MEMBER_DEATH',
      article: 'KC-14',
      householdId: Number(own),
      districtId: 'KC-KCZ',
      period: `${deceased.slice(0, 6)}********${deceased.slice(-4)}`,
    });
  });

  it('a webhook’s vehicle alert carries the criterion, not the price or plate', () => {
    const body = webhookBodies.find((b) => b.includes('VEHICLE_ABOVE_LIMIT'));
    expect(body).toBeDefined();
    expect(body).not.toContain('冀H');
    expect(JSON.parse(body!).alert.period).toBe('LOCAL.VEHICLE_PRICE');
  });

  it('an ALERT_CONSUMER reads the rule, article, severity, household, district and masked period; no facts', async () => {
    const res = await t.as(CALLERS['ALERT_CONSUMER']!).gql(ALERTS);
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.alerts.nodes as { rule: string; summary: string; period: string }[];
    expect(nodes.map((n) => n.rule)).toEqual(expect.arrayContaining(['MEMBER_DEATH', 'VEHICLE_ABOVE_LIMIT']));
    const text = JSON.stringify(nodes);
    expect(text).not.toContain('冀H');
    expect(text).not.toContain('2026-11-01');
    expect(nodes.find((n) => n.rule === 'VEHICLE_ABOVE_LIMIT')!.summary).toBe('VEHICLE_ABOVE_LIMIT (KC-12(1)6): re-check assets; notice to leave if confirmed');
  });

  it('bureau roles read the whole alert (resident IDs masked as everywhere)', async () => {
    for (const role of ['ADMIN', 'MANAGER', 'CASEWORKER', 'AUDITOR']) {
      const res = await t.as(CALLERS[role]!).gql(ALERTS);
      if (role === 'AUDITOR') {
        expect(codes(res)).toContain('FORBIDDEN');
        continue;
      }
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data.alerts.nodes as { rule: string; summary: string; period: string }[];
      expect(nodes.find((n) => n.rule === 'VEHICLE_ABOVE_LIMIT')!.summary).toMatch(/冀H\d+V0/);
      expect(nodes.find((n) => n.rule === 'MEMBER_DEATH')!.summary).toContain('2026-11-01');
    }
  });
});
