// KC-19(5): use inconsistent with the registered household, both sides of each threshold.
import { describe, expect, it } from 'vitest';
import { detectAlerts } from '../../src/detection/rules.js';
import { KC, raised, readings, snapshot, value, withParameters } from './fixtures.js';

const PER_PERSON = value('OVERUSE.WATER_PER_PERSON_MAX');
const MONTHS = value('OVERUSE.MONTHS');
const FACTOR = value('OVERUSE.JUMP_FACTOR');
const water = (uses: number[]) => readings(uses.map((WATER) => ({ WATER, ELECTRICITY: 100, GAS: 10 })));
const overuse = (uses: number[], members = 2, p = KC) => raised(snapshot({ readings: water(uses), members }), p).filter((r) => r.startsWith('USE_'));

describe('water use above the registered household', () => {
  it('reads its thresholds from the seeds', () => {
    expect([PER_PERSON, MONTHS, FACTOR]).toEqual([6, 3, 2]);
  });

  it('alerts after OVERUSE.MONTHS running above the limit for the household size, not before', () => {
    const limit = PER_PERSON * 2;
    expect(overuse([5, 5, limit + 0.1, limit + 0.1, limit + 0.1])).toEqual(['USE_ABOVE_HOUSEHOLD']);
    expect(overuse([5, 5, 5, limit + 0.1, limit + 0.1])).toEqual([]);
    // exactly at the limit is use in keeping with the household
    expect(overuse([limit, limit, limit, limit])).toEqual([]);
    // a single registered person still counts as one
    expect(overuse([PER_PERSON + 1, PER_PERSON + 1, PER_PERSON + 1], 0)).toEqual(['USE_ABOVE_HOUSEHOLD']);
  });

  it("cites KC-19(5) with the rule's own severity and the first month of the run", () => {
    expect(detectAlerts(snapshot({ readings: water([1, 20, 20, 20]) }), KC).find((a) => a.rule === 'USE_ABOVE_HOUSEHOLD')).toMatchObject({
      article: 'KC-19(5)',
      severity: 'LOW',
      period: '2026-08',
    });
  });
});

describe('a sudden sustained jump', () => {
  const usual = Array.from({ length: 6 }, () => 4);
  it('alerts at FACTOR times the median of the 6 months before, for OVERUSE.MONTHS running', () => {
    expect(overuse([...usual, 8, 8, 8], 2)).toEqual(['USE_SUDDEN_JUMP']);
    // 7.99 is under 2 × 4: the run is one month short
    expect(overuse([...usual, 7.99, 8, 8], 2)).toEqual([]);
    expect(overuse([...usual, 8, 8], 2)).toEqual([]);
  });

  it('needs 6 months of baseline, and a baseline above zero', () => {
    expect(overuse([4, 4, 4, 4, 4, 8, 8, 8], 2)).toEqual([]);
    expect(overuse([0, 0, 0, 0, 0, 0, 8, 8, 8], 2)).toEqual([]);
  });

  it("defers to the household alert when use is also above the household's limit", () => {
    expect(overuse([...usual, 20, 20, 20], 2)).toEqual(['USE_ABOVE_HOUSEHOLD']);
  });

  it('follows a recorded factor', () => {
    expect(overuse([...usual, 8, 8, 8], 2, withParameters({ 'OVERUSE.JUMP_FACTOR': { value: 2.5 } }))).toEqual([]);
  });
});
