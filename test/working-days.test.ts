import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '../src/domain/working-days.js';

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
