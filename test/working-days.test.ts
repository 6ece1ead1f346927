import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, daysBetween, epochDay } from '../src/domain/working-days.js';

describe('working-day deadlines (KC-13)', () => {
  it('skips weekends', () => {
    // 2026-11-23 is a Monday
    expect(addWorkingDays('2026-11-23', 7)).toBe('2026-12-02');
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday + 1 = Monday
    expect(addWorkingDays('2026-11-23', 3)).toBe('2026-11-26');
    expect(addWorkingDays('2026-11-23', 15)).toBe('2026-12-14');
  });

  it('counts from the next working day when the step is taken on a weekend', () => {
    expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // Saturday + 1 = Monday
    expect(addWorkingDays('2026-11-29', 3)).toBe('2026-12-02'); // Sunday + 3 = Wednesday
  });
});

describe('calendar days between ISO dates', () => {
  it('counts across month ends, leap days and centuries', () => {
    expect(epochDay('1970-01-01')).toBe(0);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2); // leap year
    expect(daysBetween('2100-02-28', '2100-03-01')).toBe(1); // century, not leap
    expect(daysBetween('2000-02-28', '2000-03-01')).toBe(2); // 400th year, leap
    expect(daysBetween('2026-11-23', '2025-11-23')).toBe(-365);
  });

  it('agrees with the calendar of Date for any two dates from 1900 to 2200', () => {
    const isoDate = fc
      .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2200, 11, 31)), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => {
        expect(daysBetween(a, b)).toBe(Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000));
      }),
    );
  });
});
