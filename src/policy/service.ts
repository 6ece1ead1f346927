// Policies in the database: seeding the shipped ones, reading the values in force on a date,
// recording a manager's new value, storing evaluations.
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { badUserInput, parseInput } from '../errors.js';
import { POLICIES } from './definitions.js';
import type { Parameters, ParameterValue, QualificationResult } from './engine.js';
import { policies, policyParameters, qualificationEvaluations } from './tables.js';

/** Writes the shipped policies and their parameters; values the bureau already has are left alone. */
export async function ensurePolicies(db: Db): Promise<void> {
  for (const policy of POLICIES) {
    const { parameters, ...row } = policy;
    await db.insert(policies).values(row).onConflictDoNothing();
    await db
      .insert(policyParameters)
      .values(parameters.map((p) => ({ ...p, policyId: policy.id, toBeConfirmed: p.toBeConfirmed ?? null, recordedBy: 'seed' })))
      .onConflictDoNothing();
  }
}

export async function parametersAsOf(db: Db, policyId: string, asOf: string): Promise<Parameters> {
  const rows = await db
    .selectDistinctOn([policyParameters.code])
    .from(policyParameters)
    .where(and(eq(policyParameters.policyId, policyId), lte(policyParameters.effectiveFrom, asOf)))
    .orderBy(policyParameters.code, desc(policyParameters.effectiveFrom));
  return new Map(rows.map((r) => [r.code, { ...r, comparator: r.comparator as ParameterValue['comparator'] }]));
}

const setParameterSchema = z.object({
  policyId: z.string().min(1),
  code: z.string().min(1),
  value: z.number().finite(),
  effectiveFrom: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
  note: z.string().max(2000).nullish(),
});

/** A new value for an existing parameter from a date on; unit, comparator and article carry over. */
export async function setPolicyParameter(db: Db, raw: unknown, recordedBy: string) {
  const input = parseInput(setParameterSchema, raw);
  const [latest] = await db
    .select()
    .from(policyParameters)
    .where(and(eq(policyParameters.policyId, input.policyId), eq(policyParameters.code, input.code)))
    .orderBy(desc(policyParameters.effectiveFrom))
    .limit(1);
  if (!latest) throw badUserInput('input.code', `policy ${input.policyId} has no parameter ${input.code}`);
  const [row] = await db
    .insert(policyParameters)
    .values({
      policyId: input.policyId,
      code: input.code,
      value: input.value,
      unit: latest.unit,
      comparator: latest.comparator,
      article: latest.article,
      description: latest.description,
      effectiveFrom: input.effectiveFrom,
      toBeConfirmed: null,
      recordedBy,
      note: input.note ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw badUserInput('input.effectiveFrom', `a value effective from ${input.effectiveFrom} is already recorded`);
  return row;
}

export async function storeEvaluation(db: Db, householdId: number, policy: { id: string; version: number }, result: QualificationResult) {
  const inputsAsOf: Record<string, string> = {};
  for (const c of result.criteria) {
    for (const e of c.evidence) {
      if (e.asOf && (!inputsAsOf[e.agency] || e.asOf < inputsAsOf[e.agency]!)) inputsAsOf[e.agency] = e.asOf;
    }
  }
  const [previous] = await db
    .select({ outcome: qualificationEvaluations.outcome, result: qualificationEvaluations.result })
    .from(qualificationEvaluations)
    .where(and(eq(qualificationEvaluations.householdId, householdId), eq(qualificationEvaluations.policyId, policy.id)))
    .orderBy(desc(qualificationEvaluations.id))
    .limit(1);
  await db.insert(qualificationEvaluations).values({
    householdId,
    policyId: policy.id,
    policyVersion: policy.version,
    asOf: result.asOf,
    category: result.category,
    outcome: result.verdict,
    inputsAsOf,
    result: sql`${JSON.stringify({ verdict: result.verdict, criteria: result.criteria.map((c) => ({ code: c.code, outcome: c.outcome, actual: c.actual })) })}::jsonb`,
  });
  if (!previous) return null;
  const before = (previous.result as { criteria: { code: string; outcome: string }[] }).criteria;
  return {
    verdict: previous.outcome,
    changedCriteria: result.criteria.filter((c) => before.find((b) => b.code === c.code)?.outcome !== c.outcome).map((c) => c.code),
  };
}
