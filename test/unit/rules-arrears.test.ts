// KC-19(2) on both sides of each threshold, with the seeded parameters.
import { describe, expect, it } from 'vitest';
import { detectAlerts } from '../../src/detection/rules.js';
import { KC, ledger, raised, snapshot, value, withParameters } from './fixtures.js';

const WARN = value('ARREARS.MONTHS_WARNING');
const EXIT = value('ARREARS.MONTHS_EXIT');
const arrears = (unpaid: number) => snapshot({ ledger: ledger(12, unpaid) });
const arrearsAlerts = (unpaid: number, p = KC) => raised(arrears(unpaid), p).filter((r) => r.startsWith('RENT_ARREARS'));

describe('rent arrears (KC-19(2))', () => {
  it('reads its thresholds from the seeds', () => {
    expect([WARN, EXIT]).toEqual([3, 6]);
  });

  it.each([
    [0, []],
    [WARN - 1, []],
    [WARN, ['RENT_ARREARS_WARNING']],
    [EXIT - 1, ['RENT_ARREARS_WARNING']],
    [EXIT, ['RENT_ARREARS_EXIT']],
    [EXIT + 3, ['RENT_ARREARS_EXIT']],
  ])('%i months unpaid → %j', (unpaid, expected) => {
    expect(arrearsAlerts(unpaid)).toEqual(expected);
  });

  it("raises the alert with the rule's own id, article, severity and action, from the oldest unpaid month", () => {
    const [alert] = detectAlerts(arrears(EXIT), KC);
    expect(alert).toMatchObject({
      rule: 'RENT_ARREARS_EXIT',
      article: 'KC-19(2)',
      severity: 'HIGH',
      action: 'give notice to end the lease',
      period: '2025-12',
    });
    const [warning] = detectAlerts(arrears(WARN), KC);
    expect(warning).toMatchObject({ rule: 'RENT_ARREARS_WARNING', article: 'KC-19(2)', severity: 'MEDIUM', summary: '3 months unpaid in total, 810 yuan' });
  });

  it("follows a value the bureau recorded, and the parameter's comparator", () => {
    expect(arrearsAlerts(5, withParameters({ 'ARREARS.MONTHS_EXIT': { value: 5 } }))).toEqual(['RENT_ARREARS_EXIT']);
    // "more than 6" instead of "6 or more"
    expect(arrearsAlerts(6, withParameters({ 'ARREARS.MONTHS_EXIT': { comparator: '>' } }))).toEqual(['RENT_ARREARS_WARNING']);
    expect(arrearsAlerts(7, withParameters({ 'ARREARS.MONTHS_EXIT': { comparator: '>' } }))).toEqual(['RENT_ARREARS_EXIT']);
  });

  it('needs a tenancy, and its parameters: without one it fails instead of guessing', () => {
    expect(arrearsAlerts(8)).toEqual(['RENT_ARREARS_EXIT']);
    expect(raised(snapshot({ ledger: null }))).toEqual([]);
    const missing = new Map(KC);
    missing.delete('ARREARS.MONTHS_EXIT');
    expect(() => raised(arrears(2), missing)).toThrow(/ARREARS.MONTHS_EXIT/);
  });
});
