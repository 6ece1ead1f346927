// #16 item 2: one search box over the households list (a whole resident ID, or part of a name or of
// the unit's address) and the open-alerts filter; answers stay masked and within the caller's districts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts } from '../src/detection/tables.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { buildHousehold, housedHousehold, memberIds } from './helpers/scenario.js';

const SEARCH = /* GraphQL */ `
  query ($filter: HouseholdFilter, $first: Int) {
    households(filter: $filter, first: $first) {
      totalCount
      nodes {
        id
        district {
          id
        }
        head {
          residentId
          name
        }
      }
    }
  }
`;

let t: TestHub;
let plain: string;
let housed: { id: string; unitId: number };
let ids: string[];
beforeAll(async () => {
  t = await startTestHub({ households: 30 });
  plain = await buildHousehold(t, {});
  housed = await housedHousehold(t);
  ids = await memberIds(t, plain);
  await t.database.db.insert(alerts).values({
    householdId: Number(housed.id),
    districtId: 'KC-KCZ',
    rule: 'VACANCY',
    article: 'KC-19',
    severity: 'MEDIUM',
    action: 'visit',
    period: '2026-10',
    summary: 'no use',
    evidence: {},
  });
});
afterAll(async () => {
  await t?.close();
});

type Node = { id: string; district: { id: string }; head: { residentId: string; name: string } };
async function search(filter: Record<string, unknown>, caller = t.as({ sub: 'cw@test', role: 'CASEWORKER', districts: ['KC-KCZ'] })) {
  const res = await caller.gql(SEARCH, { filter, first: 100 });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.households as { totalCount: number; nodes: Node[] };
}

describe('households search', () => {
  it('finds a household by a current member’s whole resident ID, the answer still masked', async () => {
    const found = await search({ search: ids[1]!.toLowerCase() });
    expect(found.nodes.map((n) => n.id)).toEqual([plain]);
    expect(found.totalCount).toBe(1);
    expect(found.nodes[0]!.head.residentId).toBe(`${ids[0]!.slice(0, 6)}********${ids[0]!.slice(-4)}`);
    expect(found.nodes[0]!.head.name).toBe('成**');
  });

  it('never matches part of a resident ID', async () => {
    expect((await search({ search: ids[0]!.slice(0, 17) })).totalCount).toBe(0);
    expect((await search({ search: ids[0]!.slice(6, 14) })).totalCount).toBe(0);
  });

  it('finds households by part of a member’s name and by part of the unit’s address', async () => {
    const byName = await search({ search: '成员1' });
    expect(byName.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([plain, housed.id]));
    expect(byName.nodes.every((n) => n.district.id === 'KC-KCZ')).toBe(true);
    const byAddress = await search({ search: `unit ${housed.id}` });
    expect(byAddress.nodes.map((n) => n.id)).toEqual([housed.id]);
    // % and _ are matched as themselves
    expect((await search({ search: '%' })).totalCount).toBe(0);
  });

  it('refuses a search longer than 100 characters, naming the field', async () => {
    const res = await t.gql(SEARCH, { filter: { search: 'x'.repeat(101) } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });

  it('keeps to the caller’s districts', async () => {
    const other = t.as({ sub: 'cw2@test', role: 'CASEWORKER', districts: ['KC-DZZ'] });
    expect((await search({ search: ids[0] }, other)).totalCount).toBe(0);
  });

  it('filters by open alerts, either way, and with the other filters', async () => {
    const open = await search({ hasOpenAlerts: true });
    expect(open.nodes.map((n) => n.id)).toEqual([housed.id]);
    const none = await search({ hasOpenAlerts: false, status: 'HOUSED' });
    expect(none.nodes.map((n) => n.id)).not.toContain(housed.id);
    const all = await search({});
    expect(none.totalCount).toBeLessThan(all.totalCount);
    await t.database.db.update(alerts).set({ status: 'RESOLVED' });
    expect((await search({ hasOpenAlerts: true })).totalCount).toBe(0);
  });

  it('costs the same few SQL statements with a search as without', async () => {
    const res = await t.gql(SEARCH, { filter: { search: '成员', hasOpenAlerts: false }, first: 100 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.households.totalCount).toBeGreaterThan(1);
    expect(Number(res.headers.get('x-sql-statements'))).toBeLessThanOrEqual(2);
  });
});

describe('a household’s stored evaluations (the profile’s timeline)', () => {
  it('lists every evaluation stored on purpose, newest first, in one statement for a whole page', async () => {
    const EVALUATIONS = `query($id: ID!) { household(id: $id) { evaluations { id verdict evaluatedOn evaluatedBy policyVersion } } }`;
    const before = await t.gql(EVALUATIONS, { id: housed.id });
    expect(before.body.data.household.evaluations).toHaveLength(1);
    expect((await t.gql(`{ household(id: ${plain}) { evaluations { id } } }`)).body.data.household.evaluations).toEqual([]);
    await t.gql(`mutation($id: ID!) { recordQualification(householdId: $id) { verdict } }`, { id: housed.id });
    const after = await t.gql(EVALUATIONS, { id: housed.id });
    const list = after.body.data.household.evaluations as { id: string; evaluatedOn: string; evaluatedBy: string }[];
    expect(list).toHaveLength(2);
    expect(Number(list[0]!.id)).toBeGreaterThan(Number(list[1]!.id));
    expect(list[0]!.evaluatedOn).toBe('2026-11-23');
    expect(list[0]!.evaluatedBy).toBe('admin@test');
    const page = await t.gql(`{ households(first: 100) { nodes { id evaluations { id verdict } } } }`);
    expect(page.body.errors).toBeUndefined();
    expect(Number(page.headers.get('x-sql-statements'))).toBeLessThanOrEqual(2);
  });
});

describe('one member of a household', () => {
  it('releases one person’s identity for a purpose, audited for that person alone, and no member of another household', async () => {
    const members = (await t.gql(`{ household(id: ${plain}) { members { id } } }`)).body.data.household.members as { id: string }[];
    const caseworker = t.as({ sub: 'cw@test', role: 'CASEWORKER', districts: ['KC-KCZ'] });
    const REVEAL = `query($h: ID!, $m: ID!, $p: String!) { household(id: $h) { member(id: $m) { id name identity(purpose: $p) { residentId name } } } }`;
    const short = await caseworker.gql(REVEAL, { h: plain, m: members[1]!.id, p: 'why' });
    expect(short.body.errors?.[0]?.extensions?.['field']).toMatch(/purpose$/);
    const res = await caseworker.gql(REVEAL, { h: plain, m: members[1]!.id, p: 'home visit on 2026-11-24' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.household.member).toEqual({ id: members[1]!.id, name: '成**', identity: { residentId: ids[1], name: '成员1' } });
    const audit = await t
      .as({ sub: 'auditor@test', role: 'AUDITOR' })
      .gql(`{ auditLog(filter: { action: "IDENTITY" }) { nodes { actor householdId purpose subject } } }`);
    expect(audit.body.errors).toBeUndefined();
    const entries = (audit.body.data.auditLog.nodes as { actor: string; purpose: string; householdId: string }[]).filter((e) => e.actor === 'cw@test');
    expect(entries).toEqual([expect.objectContaining({ householdId: plain, purpose: 'home visit on 2026-11-24' })]);
    const elsewhere = await caseworker.gql(REVEAL, { h: housed.id, m: members[1]!.id, p: 'home visit on 2026-11-24' });
    expect(elsewhere.body.data.household.member).toBeNull();
  });
});
