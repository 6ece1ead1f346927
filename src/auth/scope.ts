// The districts a request may see, as one explicit value on the context: list services take it as a
// parameter and narrow their queries to it; the @auth wrapper only checks named districts against it.
import { inArray, type Column, type SQL } from 'drizzle-orm';
import type { Caller } from './caller.js';

export interface DistrictScope {
  /** the districts the caller is bound to; null: every district */
  readonly districts: readonly string[] | null;
}

export const EVERY_DISTRICT: DistrictScope = { districts: null };

export function scopeOf(caller: Caller | null): DistrictScope {
  return caller?.districts ? { districts: [...caller.districts] } : EVERY_DISTRICT;
}

export function inScope(scope: DistrictScope, districtId: string): boolean {
  return scope.districts === null || scope.districts.includes(districtId);
}

/** the condition that keeps a query to the scope's districts (none for every district) */
export function withinScope(column: Column, scope: DistrictScope): SQL | undefined {
  return scope.districts === null ? undefined : inArray(column, [...scope.districts]);
}
