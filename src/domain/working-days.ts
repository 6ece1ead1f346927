// Calendar helpers on ISO dates (YYYY-MM-DD, local calendar days). KC-13 deadlines are in working
// days: weekends are skipped; the statutory holiday calendar (and its make-up working Saturdays)
// is not yet modelled.
import { addBusinessDays, differenceInCalendarDays } from 'date-fns';

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

export function daysBetween(fromIso: string, toIso: string): number {
  return differenceInCalendarDays(fromIsoDate(toIso), fromIsoDate(fromIso));
}

export function todayIso(now: Date = new Date()): string {
  return toIsoDate(now);
}
