// The qualification rules: a failing criterion of an occupying household, and a verdict flipped
// since the last stored evaluation.
import { describe, expect, it } from 'vitest';
import { detectAlerts } from '../../src/detection/rules.js';
import type { StoredEvaluation } from '../../src/policy/evaluations.js';
import type { Verdict } from '../../src/policy/engine.js';
import { household, KC, qualification, snapshot } from './fixtures.js';

const failing = (code: string, article: string) =>
  qualification([{ code, article, outcome: 'FAIL', actual: 150_000, actualText: '冀H88888', threshold: 100_000 }], 'INELIGIBLE');

describe('a failing criterion of an occupying household', () => {
  it.each([
    ['INCOME', 'KC-12(1)4', 'INCOME_ABOVE_LIMIT', 'HIGH'],
    ['LOCAL.VEHICLE_PRICE', 'KC-12(1)6', 'VEHICLE_ABOVE_LIMIT', 'HIGH'],
    ['MIGRANT.VEHICLE_PRICE', 'KC-12(2)5', 'VEHICLE_ABOVE_LIMIT', 'HIGH'],
    ['LOCAL.HOMES', 'KC-12(1)5', 'HOME_ACQUIRED', 'HIGH'],
    ['NEW_CITIZEN.HOMES', 'KC-12(3)3', 'HOME_ACQUIRED', 'HIGH'],
    ['LOCAL.CAPITAL', 'KC-12(1)6', 'CAPITAL_ABOVE_LIMIT', 'MEDIUM'],
    ['LOCAL.HUKOU', 'KC-12(1)1', 'HUKOU_MOVED', 'MEDIUM'],
    ['MIGRANT.PENSION_MONTHS', 'KC-12(2)1', 'PENSION_STOPPED', 'MEDIUM'],
  ])("%s FAIL → %s, citing the criterion's article", (code, article, rule, severity) => {
    const alerts = detectAlerts(snapshot({ qualification: failing(code, article) }), KC).filter((a) => a.rule === rule);
    expect(alerts.map((a) => [a.article, a.severity, a.period])).toEqual([[article, severity, `${code}:冀H88888`]]);
  });

  it('stays silent on a PASS, a criterion without an alert, or a household not occupying a unit', () => {
    expect(
      detectAlerts(snapshot({ qualification: qualification([{ code: 'INCOME', outcome: 'PASS' }]) }), KC).filter((a) => a.rule === 'INCOME_ABOVE_LIMIT'),
    ).toEqual([]);
    expect(detectAlerts(snapshot({ qualification: failing('LOCAL.TOTAL_AREA', 'KC-12(1)3') }), KC).map((a) => a.rule)).toEqual([]);
    expect(detectAlerts(snapshot({ household: household('WAITLISTED'), qualification: failing('INCOME', 'KC-12(1)4') }), KC).map((a) => a.rule)).toEqual([]);
  });
});

describe('a verdict flipped since the last stored evaluation', () => {
  const stored = (outcome: Verdict): StoredEvaluation => ({
    id: 7,
    householdId: 1,
    policyId: 'KC',
    policyVersion: 1,
    asOf: '2025-11-23',
    outcome,
    result: { verdict: outcome, criteria: [{ code: 'INCOME', outcome: 'PASS', actual: 10_000 }] },
    evaluatedAt: new Date('2025-11-23T02:00:00Z'),
    evaluatedBy: 'review ANNUAL',
  });
  const flipped = (before: StoredEvaluation | null, now = failing('INCOME', 'KC-12(1)4')) =>
    detectAlerts(snapshot({ previousQualification: before, qualification: now }), KC).filter((a) => a.rule === 'QUALIFICATION_FLIPPED');

  it('alerts once per ELIGIBLE evaluation left behind, naming the criteria that flipped', () => {
    const [alert] = flipped(stored('ELIGIBLE'));
    expect(alert).toMatchObject({
      article: 'KC-19(4)',
      severity: 'HIGH',
      period: 'evaluation 7 of 2025-11-23',
      summary: 'ELIGIBLE on 2025-11-23, INELIGIBLE on 2026-11-23: INCOME',
    });
  });

  it('needs a stored ELIGIBLE evaluation and an INELIGIBLE verdict now', () => {
    expect(flipped(null)).toEqual([]);
    expect(flipped(stored('UNKNOWN'))).toEqual([]);
    expect(flipped(stored('ELIGIBLE'), qualification([{ code: 'INCOME', outcome: 'UNKNOWN' }], 'UNKNOWN'))).toEqual([]);
  });
});
