// What each column of an agency table can hold, read from its drizzle definition: a record whose
// value the column cannot store is that record's error (index, field, reason), never a failed batch.
// The kinds' zod schemas say what a value means; this says what fits, for every kind in one place.
import { getTableColumns, type Column } from 'drizzle-orm';
import type { RecordKind } from './connector.js';

/** No agency fact of the programme predates this: a year 0000 or 1066 is a broken extract. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '9999-12-31';

export interface ColumnIssue {
  field: string;
  reason: string;
}

type Check = (value: unknown, today: string) => string | null;

const INTEGER_RANGE: Record<string, [number, number]> = {
  PgSmallInt: [-32768, 32767],
  PgInteger: [-2147483648, 2147483647],
  PgBigInt53: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function numericCheck(precision: number, scale: number): Check {
  const factor = 10 ** scale;
  const bound = 10 ** (precision - scale);
  return (value) => {
    if (typeof value !== 'number') return null;
    // PostgreSQL rounds to the scale before it checks the precision
    const stored = Math.round(Math.abs(value) * factor) / factor;
    return stored < bound ? null : `must be less than ${bound.toLocaleString('en-US')} (at most ${precision - scale} digits before the decimal point)`;
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textCheck(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  return null;
}

function dateCheck(event: boolean): Check {
  return (value, today) => {
    if (typeof value !== 'string') return null;
    if (value < EARLIEST_DATE) return `must not be before ${EARLIEST_DATE}`;
    if (value > LATEST_DATE) return `must not be after ${LATEST_DATE}`;
    if (event && value > today) return `must not be in the future (the bureau's today is ${today})`;
    return null;
  };
}

function checkOf(column: Column, event: boolean): Check | null {
  const type = column.columnType;
  const integer = INTEGER_RANGE[type];
  if (integer) {
    const [min, max] = integer;
    return (value) =>
      typeof value === 'number' && (!Number.isInteger(value) || value < min || value > max) ? `must be a whole number from ${min} to ${max}` : null;
  }
  if (type === 'PgNumeric' || type === 'PgNumericNumber' || type === 'PgNumericBigInt') {
    const { precision, scale } = column as unknown as { precision?: number; scale?: number };
    return precision ? numericCheck(precision, scale ?? 0) : null;
  }
  if (type === 'PgDateString' || type === 'PgDate') return dateCheck(event);
  if (column.dataType === 'string') return textCheck;
  return null;
}

const checks = new WeakMap<RecordKind, [string, Check][]>();

function checksOf(kind: RecordKind): [string, Check][] {
  let list = checks.get(kind);
  if (!list) {
    const scheduled = new Set<string>(kind.scheduledDates ?? []);
    list = Object.entries(getTableColumns(kind.table)).flatMap(([property, column]) => {
      const check = checkOf(column, !scheduled.has(property));
      return check ? [[property, check] as [string, Check]] : [];
    });
    checks.set(kind, list);
  }
  return list;
}

/** The first value of a validated record its table cannot hold, or a date of an event after `today`. */
export function columnIssue(kind: RecordKind, record: Record<string, unknown>, today: string): ColumnIssue | null {
  for (const [property, check] of checksOf(kind)) {
    const value = record[property];
    if (value === null || value === undefined) continue;
    const reason = check(value, today);
    if (reason) return { field: property, reason };
  }
  return null;
}
