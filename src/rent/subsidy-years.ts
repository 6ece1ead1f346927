// Guiyang's points count the years a household has already received rent subsidy (002).
import { monthsBetween } from './months.js';

/** Years on subsidy up to `asOf`: every period counted, a running one (or one ending later) to `asOf`; null if none began. */
export function subsidyYears(periods: readonly { startDate: string; endDate: string | null }[], asOf: string): number | null {
  const begun = periods.filter((p) => p.startDate <= asOf);
  if (begun.length === 0) return null;
  const months = begun.reduce((sum, p) => sum + monthsBetween(p.startDate, p.endDate && p.endDate < asOf ? p.endDate : asOf), 0);
  return months / 12;
}
