// Stored evaluations compared with a result: pure, shared by qualification reads, recordQualification
// and detection's QUALIFICATION_FLIPPED.
import type { QualificationResult, Verdict } from './engine.js';

export interface StoredEvaluation {
  id: number;
  householdId: number;
  policyId: string;
  policyVersion: number;
  asOf: string;
  outcome: Verdict;
  result: { verdict: Verdict; criteria: { code: string; outcome: string; actual: unknown }[] };
  evaluatedAt: Date;
  evaluatedBy: string | null;
}

export interface QualificationChange {
  previousVerdict: string;
  changedCriteria: string[];
}

/** The criteria whose outcome differs from the stored evaluation's. */
export function changedCriteria(before: StoredEvaluation, result: QualificationResult): string[] {
  const outcomes = new Map(before.result.criteria.map((c) => [c.code, c.outcome]));
  return result.criteria.filter((c) => outcomes.get(c.code) !== c.outcome).map((c) => c.code);
}

/** A result against the latest stored evaluation; null when none was stored. */
export function sinceLast(stored: StoredEvaluation | null, result: QualificationResult): QualificationChange | null {
  return stored && { previousVerdict: stored.outcome, changedCriteria: changedCriteria(stored, result) };
}
