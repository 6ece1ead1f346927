// Calendar helpers on ISO dates (YYYY-MM-DD, local calendar days). KC-13 deadlines are in working
// days: weekends are skipped; the statutory holiday calendar (and its make-up working Saturdays)
// is not yet modelled.
import { addBusinessDays } from 'date-fns';

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

/** whole months from `from` to `to` */
export function wholeMonths(from: string, to: string): number {
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
  return to.slice(8) < from.slice(8) ? months - 1 : months;
}

export function todayIso(now: Date = new Date()): string {
  return toIsoDate(now);
}
