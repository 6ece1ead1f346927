// Detection reads its thresholds from the policy, never from code: a parameter a rule reads that the
// policy lacks stops the hub at start-up, naming the policy and the code, instead of alerting on a
// number nobody set.
import type { Db } from '../db/client.js';
import type { Parameters } from '../policy/engine.js';
import { parametersAsOf } from '../policy/service.js';
import { DETECTION_POLICY } from './detect.js';
import { RULES } from './rules.js';

/** What a policy lacks of what the rules read: `rule: code` for each. */
export function missingRuleParameters(parameters: Parameters): { rule: string; code: string }[] {
  return RULES.flatMap((rule) => rule.parameters.filter((code) => !parameters.has(code)).map((code) => ({ rule: rule.id, code })));
}

/** Throws when the policy detection uses has no value in force on `asOf` for a parameter some rule reads. */
export async function checkRuleParameters(db: Db, asOf: string, policyIds: readonly string[] = [DETECTION_POLICY]): Promise<void> {
  for (const policyId of policyIds) {
    const missing = missingRuleParameters(await parametersAsOf(db, policyId, asOf));
    if (missing.length === 0) continue;
    const codes = [...new Set(missing.map((m) => m.code))];
    const rules = [...new Set(missing.map((m) => m.rule))];
    throw new Error(
      `policy ${policyId} has no value in force on ${asOf} for ${codes.join(', ')}, which detection rule(s) ${rules.join(', ')} read: record them (setPolicyParameter) or seed them`,
    );
  }
}
