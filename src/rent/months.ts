// Rent is charged by calendar month; a month is named by its first day (YYYY-MM-01).
import { daysBetween, wholeMonths } from '../domain/working-days.js';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export function monthOf(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

export function isMonthStart(isoDate: string): boolean {
  return isoDate.slice(8) === '01';
}

/** the same day `n` months later, clamped to the month's last day */
export function addMonths(isoDate: string, n: number): string {
  const total = Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1 + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(Number(isoDate.slice(8, 10)), last))}`;
}

/**
 * Months from `from` to `to` (exclusive), fractional: whole months, then the days left over as a
 * share of the month they fall in. Six months from 05-23 to 11-23 is exactly 6.
 */
export function monthsBetween(from: string, to: string): number {
  if (to <= from) return 0;
  const whole = wholeMonths(from, to);
  const anchor = addMonths(from, whole);
  const rest = daysBetween(anchor, to);
  return rest === 0 ? whole : whole + rest / daysBetween(anchor, addMonths(anchor, 1));
}

/** integer cents of a yuan amount, so sums never drift */
export const cents = (yuan: number) => Math.round(yuan * 100);
export const yuan = (c: number) => c / 100;
