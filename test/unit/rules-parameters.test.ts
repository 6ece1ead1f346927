// Policy as data: every rule names the parameters it reads, the shipped policy has them all, and an
// alert carries its rule's own id and article.
import { describe, expect, it } from 'vitest';
import { draftOf, RULE_PARAMETERS, RULES } from '../../src/detection/rules.js';
import { missingRuleParameters } from '../../src/detection/rule-parameters.js';
import { GUIYANG } from '../../src/policy/definitions.js';
import { KC, seeded } from './fixtures.js';

describe("the rules' parameters", () => {
  it("are all seeded in Kuancheng's policy, the one detection uses", () => {
    expect(RULE_PARAMETERS.length).toBeGreaterThan(5);
    expect(missingRuleParameters(KC)).toEqual([]);
  });

  it('missing ones are named with the rules that read them', () => {
    const without = new Map(KC);
    without.delete('VACANCY.GAS_MAX');
    expect(missingRuleParameters(without)).toEqual([
      { rule: 'VACANCY_WARNING', code: 'VACANCY.GAS_MAX' },
      { rule: 'VACANCY_EXIT', code: 'VACANCY.GAS_MAX' },
    ]);
    // Guiyang's policy sets none of KC-19's thresholds
    expect(missingRuleParameters(seeded(GUIYANG)).length).toBeGreaterThan(0);
  });

  it('each rule has its own id, and every alert it raises carries that id and its article', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(draftOf(rule, { period: 'p', summary: 's', evidence: {} })).toMatchObject({
        rule: rule.id,
        article: rule.article,
        severity: rule.severity,
        action: rule.action,
      });
    }
  });
});
