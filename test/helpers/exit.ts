// Exit cases, inspections and reports through the API, as a caseworker's client would send them.
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { CallerClaims } from '../../src/auth/caller.js';
import { households, housingUnits } from '../../src/db/schema.js';
import type { GraphQLResponse, TestHub } from './hub.js';
import { housedHousehold, memberIds } from './scenario.js';

import { CALLERS } from './roles.js';

export { CALLERS };
export const CASEWORKER = CALLERS['CASEWORKER']!;
export type RoleName = keyof typeof CALLERS;

/** `name(input: NameInput!)` as the caller (ADMIN by default). */
export function mutate(t: TestHub, name: string, input: Record<string, unknown>, select = 'id', caller?: CallerClaims): Promise<GraphQLResponse> {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const client = caller ? t.as(caller) : t;
  return client.gql(`mutation($input: ${type}!) { ${name}(input: $input) { ${select} } }`, { input });
}

export function ok<T = any>(res: GraphQLResponse, name: string): T {
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data[name] as T;
}

export function refused(res: GraphQLResponse, code: string, field?: string) {
  const error = res.body.errors?.[0];
  expect(error?.extensions?.['code'], JSON.stringify(res.body.errors)).toBe(code);
  if (field !== undefined) expect(error?.extensions?.['field']).toBe(field);
  return error!;
}

export const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);

/** Every row the exit area writes, to show a refused call wrote nothing. */
export async function snapshot(t: TestHub) {
  const q = async (query: string) => ((await t.database.db.execute(sql.raw(query))) as unknown as { rows: unknown[] }).rows;
  return JSON.stringify({
    cases: await q('select * from exit_cases order by id'),
    events: await q('select id from exit_case_events order by id'),
    inspections: await q('select * from inspections order by id'),
    reports: await q('select * from public_reports order by id'),
    alerts: await q('select id, status, exit_case_id, assignee from alerts order by id'),
    alertEvents: await q('select id from alert_events order by id'),
    tenancies: await q('select id, end_date, end_reason from tenancies order by id'),
    units: await q('select id, status from housing_units order by id'),
    households: await q('select id, status from households order by id'),
  });
}

export interface Housed {
  id: string;
  unitId: number;
  /** full resident IDs of the members, head first */
  members: string[];
}

/** A housed household of KC-KCZ (see housedHousehold), or moved with its unit to another district. */
export async function housed(t: TestHub, unpaid: string[] = [], districtId = 'KC-KCZ'): Promise<Housed> {
  const h = await housedHousehold(t, unpaid);
  const members = await memberIds(t, h.id);
  if (districtId !== 'KC-KCZ') {
    await t.database.db
      .update(households)
      .set({ districtId })
      .where(eq(households.id, Number(h.id)));
    await t.database.db.update(housingUnits).set({ districtId }).where(eq(housingUnits.id, h.unitId));
  }
  await t.database.db.update(housingUnits).set({ status: 'OCCUPIED' }).where(eq(housingUnits.id, h.unitId));
  return { ...h, members };
}

export const STAFF = ['张伟', '李娜'];
