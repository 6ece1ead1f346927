// The rules on a household's members, waiting, allowance and reviews (KC-14, KC-15, KC-18, KC-23).
import { describe, expect, it } from 'vitest';
import { detectAlerts } from '../../src/detection/rules.js';
import { AS_OF, household, KC, raised, snapshot, value, withParameters } from './fixtures.js';

describe("a member's death (KC-14)", () => {
  it('raises one alert per member, however many agencies report it', () => {
    const deaths = [
      { residentId: 'R1', diedOn: '2026-10-01', agency: 'civil-affairs' },
      { residentId: 'R1', diedOn: '2026-10-01', agency: 'public-security' },
      { residentId: 'R2', diedOn: '2026-09-01', agency: 'public-security' },
    ];
    const alerts = detectAlerts(snapshot({ deaths }), KC).filter((a) => a.rule === 'MEMBER_DEATH');
    expect(alerts.map((a) => [a.period, a.article, a.severity])).toEqual([
      ['R1', 'KC-14', 'MEDIUM'],
      ['R2', 'KC-14', 'MEDIUM'],
    ]);
    expect(alerts[0]!.summary).toBe('a member died on 2026-10-01 (reported by civil-affairs)');
  });
});

describe('waiting over a year (KC-23)', () => {
  const waiting = (since: string, status: 'WAITLISTED' | 'SUBSIDISED' | 'HOUSED' = 'WAITLISTED') =>
    raised(snapshot({ household: household(status), waitlistedSince: since })).includes('WAITING_OVER_YEAR');
  it('alerts from the first anniversary, not the day before', () => {
    expect(waiting('2025-11-23')).toBe(true);
    expect(waiting('2025-11-24')).toBe(false);
    expect(waiting('2025-01-01', 'SUBSIDISED')).toBe(true);
    expect(waiting('2025-01-01', 'HOUSED')).toBe(false);
  });
});

describe('allowance ended (KC-15)', () => {
  const ended = (
    allowances: { residentId: string; status: string; until: string | null }[],
    rentStandard: 'MINIMUM_ALLOWANCE' | 'STANDARD' = 'MINIMUM_ALLOWANCE',
  ) => detectAlerts(snapshot({ rentStandard, allowances }), KC).filter((a) => a.rule === 'ALLOWANCE_ENDED');
  it('alerts when no member holds the allowance on the day, at the allowance rate only', () => {
    expect(ended([{ residentId: 'R1', status: 'MINIMUM_ALLOWANCE', until: AS_OF }])).toEqual([]);
    expect(ended([{ residentId: 'R1', status: 'MINIMUM_ALLOWANCE', until: null }])).toEqual([]);
    expect(ended([{ residentId: 'R1', status: 'MINIMUM_ALLOWANCE', until: '2026-11-22' }]).map((a) => [a.period, a.article, a.severity])).toEqual([
      ['2026-11-22', 'KC-15', 'MEDIUM'],
    ]);
    expect(ended([{ residentId: 'R1', status: 'LOW_INCOME', until: null }]).map((a) => a.period)).toEqual(['no current record']);
    expect(ended([], 'STANDARD')).toEqual([]);
  });
});

describe('annual review due (KC-18)', () => {
  const due = (lastReviewedOn: string | null, p = KC) => raised(snapshot({ lastReviewedOn }), p).includes('ANNUAL_REVIEW_DUE');
  it(`is due REVIEW.INTERVAL_MONTHS (${value('REVIEW.INTERVAL_MONTHS')}) after the last review, and when never reviewed`, () => {
    expect(due('2025-11-23')).toBe(true);
    expect(due('2025-11-24')).toBe(false);
    expect(due(null)).toBe(true);
    expect(due('2026-05-23', withParameters({ 'REVIEW.INTERVAL_MONTHS': { value: 6 } }))).toBe(true);
    expect(raised(snapshot({ household: household('WAITLISTED'), lastReviewedOn: null }))).not.toContain('ANNUAL_REVIEW_DUE');
  });
  it('cites KC-18 for the year', () => {
    expect(detectAlerts(snapshot({ lastReviewedOn: null }), KC).find((a) => a.rule === 'ANNUAL_REVIEW_DUE')).toMatchObject({
      article: 'KC-18',
      period: '2026',
      summary: 'never reviewed',
    });
  });
});
