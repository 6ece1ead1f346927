// KC-13 deadlines are in working days. Weekends are skipped; the statutory holiday calendar
// (and its make-up working Saturdays) is not yet modelled.
import { addBusinessDays, differenceInCalendarDays, format, isWeekend, parseISO } from 'date-fns';

export function addWorkingDays(isoDate: string, days: number): string {
  return format(addBusinessDays(parseISO(isoDate), days), 'yyyy-MM-dd');
}

export function isWorkingDay(isoDate: string): boolean {
  return !isWeekend(parseISO(isoDate));
}

export function daysBetween(fromIso: string, toIso: string): number {
  return differenceInCalendarDays(parseISO(toIso), parseISO(fromIso));
}

export function todayIso(now: Date = new Date()): string {
  return format(now, 'yyyy-MM-dd');
}
