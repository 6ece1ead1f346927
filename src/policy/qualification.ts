// A household's qualification under a policy: computed on every read (nothing stored), compared with
// the latest evaluation someone stored on purpose (a review, recordQualification).
import type { AgencyLoaders } from '../agency/loaders.js';
import type { Db } from '../db/client.js';
import { badUserInput, notFound } from '../errors.js';
import type { HouseholdRow, RecordLoaders } from '../households/loaders.js';
import { checkApplicant } from './applicant-check.js';
import { evaluatorFor, type QualificationResult } from './engine.js';
import { householdFacts } from './facts.js';
import { sinceLast, type EvaluationStore, type PolicyCache, type QualificationChange, type StoredEvaluation } from './service.js';
import type { policies } from './tables.js';

export type PolicyRow = typeof policies.$inferSelect;

/** What a request lends the qualification services: its loaders, its policy cache, its evaluations and its day. */
export interface QualificationScope {
  loaders: RecordLoaders;
  agency: AgencyLoaders;
  policies: PolicyCache;
  evaluations: EvaluationStore;
  today: string;
}

export const DEFAULT_POLICY = 'KC';

export interface HouseholdQualification extends QualificationResult {
  policy: PolicyRow;
  /** against the latest stored evaluation (before this one, when this one was stored) */
  sinceLast: QualificationChange | null;
  /** the latest stored evaluation under the policy (this one, when it was stored) */
  latestEvaluation: StoredEvaluation | null;
}

export async function policyById(scope: Pick<QualificationScope, 'policies'>, id: string): Promise<PolicyRow> {
  const policy = await scope.policies.policy(id);
  if (!policy) throw badUserInput('policy', `no policy ${id}`);
  return policy;
}

/** An as-of date given by a caller: today when absent, never after today. */
export function checkAsOf(today: string, asOf: string | null | undefined): string {
  if (asOf && asOf > today) throw badUserInput('asOf', 'must not be in the future');
  return asOf ?? today;
}

async function compute(h: HouseholdRow, policy: PolicyRow, asOf: string, scope: QualificationScope): Promise<QualificationResult> {
  const [facts, params] = await Promise.all([householdFacts(h, scope.loaders, scope.agency, asOf, scope.today), scope.policies.parameters(policy.id, asOf)]);
  return evaluatorFor(policy)(facts, params);
}

/** Computed now (or as of a date); stores nothing. */
export async function qualificationOf(
  h: HouseholdRow,
  policyId: string | null | undefined,
  asOf: string | null | undefined,
  scope: QualificationScope,
): Promise<HouseholdQualification> {
  const on = checkAsOf(scope.today, asOf);
  const policy = await policyById(scope, policyId ?? DEFAULT_POLICY);
  const [result, latest] = await Promise.all([compute(h, policy, on, scope), scope.evaluations.latest(h.id, policy.id)]);
  return { ...result, policy, sinceLast: sinceLast(latest, result), latestEvaluation: latest };
}

/** Evaluates and stores: the evaluation later reads and detection compare with. */
export async function recordQualification(
  householdId: string,
  policyId: string | null | undefined,
  asOf: string | null | undefined,
  scope: QualificationScope,
  by: string,
): Promise<HouseholdQualification> {
  const on = checkAsOf(scope.today, asOf);
  const h = Number.isSafeInteger(Number(householdId)) ? await scope.loaders.household.load(Number(householdId)) : null;
  if (!h) throw notFound(`household ${householdId}`);
  const policy = await policyById(scope, policyId ?? DEFAULT_POLICY);
  const result = await compute(h, policy, on, scope);
  const { previous, stored } = await scope.evaluations.record(h.id, policy, result, by);
  return { ...result, policy, sinceLast: sinceLast(previous, result), latestEvaluation: stored };
}

/** A family not yet registered, on what the agencies know today; nothing is stored. */
export async function checkApplicantUnder(
  raw: unknown,
  policyId: string | null | undefined,
  scope: QualificationScope & { db: Db; districts: readonly string[] | null },
) {
  const policy = await policyById(scope, policyId ?? DEFAULT_POLICY);
  const { facts, discrepancies } = await checkApplicant(raw, scope.agency, scope.today, scope.today, { db: scope.db, districts: scope.districts });
  const params = await scope.policies.parameters(policy.id, scope.today);
  return { ...evaluatorFor(policy)(facts, params), discrepancies };
}
