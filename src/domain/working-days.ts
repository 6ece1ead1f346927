// Calendar helpers on ISO dates (YYYY-MM-DD, local calendar days). KC-13 deadlines are in working
// days: weekends are skipped; the statutory holiday calendar (and its make-up working Saturdays)
// is not yet modelled.
import { addBusinessDays, addDays } from 'date-fns';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Hot in bulk generation, hence by hand rather than date-fns `format`. */
export function toIsoDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function fromIsoDate(iso: string): Date {
  return new Date(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

export function addWorkingDays(isoDate: string, days: number): string {
  return toIsoDate(addBusinessDays(fromIsoDate(isoDate), days));
}

/**
 * Days since 1970-01-01 of an ISO date, by integer arithmetic (H. Hinnant's days_from_civil): hot in
 * the qualification engine, where Date.parse of every evidence date cost more than the criteria.
 */
export function epochDay(iso: string): number {
  const m = Number(iso.slice(5, 7));
  const y = Number(iso.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + Number(iso.slice(8, 10)) - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/** calendar days from `from` to `to` */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** whole years from `from` to `to`, as ages are counted */
export function wholeYears(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? years - 1 : years;
}

/** the calendar day after an ISO date */
export function dayAfter(iso: string): string {
  return toIsoDate(addDays(fromIsoDate(iso), 1));
}

/** whole months from `from` to `to` */
export function wholeMonths(from: string, to: string): number {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  return to.slice(8) < from.slice(8) ? months - 1 : months;
}

/** The zone a bureau keeps its calendar in when none is configured (BUREAU_TIMEZONE). */
export const DEFAULT_BUREAU_TIMEZONE = 'Asia/Shanghai';

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day it is at `now` in the bureau's time zone. "Today" for asOf checks, ages,
 * deadlines, feed dates and rent months is the bureau's day, not the server's: at 06:00 in Beijing a
 * UTC server still has yesterday's date.
 */
export function todayIso(now: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(now);
}

/** whether the runtime knows this IANA time zone */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}
