// Issue 13, item 12 (KC-35): an answer with personal data leaves only once its audit entry is
// written; every look at a household's members and housing is recorded; a registration's entry
// names the household it created.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/auth/tables.js';
import { makeResidentId } from '../src/domain/resident-id.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';
import { buildHousehold } from './helpers/scenario.js';

let t: TestHub;
let own: string;

beforeAll(async () => {
  t = await startTestHub();
  own = await buildHousehold(t, {});
});
afterAll(async () => {
  await t?.close();
});

const caseworker = () => t.as(CALLERS['CASEWORKER']!);
const MEMBERS = `query($id: ID!) { household(id: $id) { id members { name birthDate relation } currentHousing { floorArea } } }`;
const entriesOf = (requestId: string) => t.database.db.select().from(auditLog).where(eq(auditLog.requestId, requestId));

describe('reads of members and housing are recorded (A3a)', () => {
  it('a caseworker reading names and housing, no agency field, leaves one VIEW entry for the household, written before the answer', async () => {
    const res = await caseworker().gql(MEMBERS, { id: own });
    expect(res.body.errors).toBeUndefined();
    // no waiting: the entry is there when the answer arrives
    const rows = await entriesOf(res.headers.get('x-request-id')!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'VIEW', actor: 'caseworker@kcz', role: 'CASEWORKER', householdId: Number(own), subject: null });
    expect(rows[0]!.detail).toEqual({ fields: ['Household.currentHousing', 'Household.members', 'Person.birthDate', 'Person.name'] });
  });

  it('one entry per household, however many members and fields a page shows', async () => {
    const second = await buildHousehold(t, {
      members: [{ birthDate: '1960-01-01' }, { birthDate: '1962-01-01', relation: 'SPOUSE' }, { birthDate: '1990-01-01' }],
    });
    const res = await caseworker().gql(`{ households(first: 10) { nodes { id head { name residentId } members { name sex } } } }`);
    expect(res.body.errors).toBeUndefined();
    const rows = await entriesOf(res.headers.get('x-request-id')!);
    expect(rows.map((r) => r.householdId).sort()).toEqual([Number(own), Number(second)].sort());
    expect(rows.every((r) => r.action === 'VIEW')).toBe(true);
  });

  it('a page with no personal field (ids, statuses) is not a read of a person', async () => {
    const res = await caseworker().gql(`query($id: ID!) { household(id: $id) { id status size } }`, { id: own });
    expect(res.body.errors).toBeUndefined();
    expect(await entriesOf(res.headers.get('x-request-id')!)).toHaveLength(0);
  });
});

describe('registerHousehold', () => {
  it('its audit entry carries the new household id', async () => {
    const residentId = makeResidentId('130827', '1975-05-05', 40, 'MALE');
    const res = await caseworker().gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
      input: {
        districtId: 'KC-KCZ',
        category: 'LOCAL',
        members: [{ residentId, name: '李四', birthDate: '1975-05-05', relation: 'HEAD' }],
        currentHousing: { floorArea: 20, tenure: 'RENTED' },
      },
    });
    expect(res.body.errors).toBeUndefined();
    const rows = await entriesOf(res.headers.get('x-request-id')!);
    expect(rows.find((r) => r.action === 'registerHousehold')).toMatchObject({ householdId: Number(res.body.data.registerHousehold.id) });
  });
});

describe('fail-closed: no audit entry, no data (KC-35)', () => {
  // the audit INSERT refused, as a full disk, a lost grant or a broken log table would
  const blockAudit = async () => {
    await t.database.db.execute(
      sql.raw(`create or replace function test_audit_refused() returns trigger language plpgsql as $$ begin raise exception 'audit store unavailable'; end $$`),
    );
    await t.database.db.execute(sql.raw(`create trigger test_audit_refused before insert on audit_log for each row execute function test_audit_refused()`));
  };
  const unblockAudit = () => t.database.db.execute(sql.raw(`drop trigger if exists test_audit_refused on audit_log`));

  it('answers an error and none of the data when the entry cannot be written', async () => {
    const before = await caseworker().gql(MEMBERS, { id: own });
    const name = before.body.data.household.members[0].name as string;
    await blockAudit();
    try {
      for (const query of [MEMBERS, `query($id: ID!) { household(id: $id) { members { vehicles { plate } hukou { areaCode } } } }`]) {
        const res = await caseworker().gql(query, { id: own });
        expect(res.status).toBe(503);
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }) })]);
        expect(JSON.stringify(res.body)).not.toContain(name);
      }
    } finally {
      await unblockAudit();
    }
    const after = await caseworker().gql(MEMBERS, { id: own });
    expect(after.body.data.household.members[0].name).toBe(name);
  });

  it('a read that touches no personal data is answered even then', async () => {
    await blockAudit();
    try {
      const res = await caseworker().gql(`{ me { id role } }`);
      expect(res.status).toBe(200);
      expect(res.body.data.me.role).toBe('CASEWORKER');
    } finally {
      await unblockAudit();
    }
  });
});
