// Policies in the database: seeding the shipped ones, reading the values in force on a date,
// recording a manager's new value, storing evaluations.
import DataLoader from 'dataloader';
import { and, asc, desc, eq, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { anyOf, type Db } from '../db/client.js';
import { jsonRows } from '../db/json-rows.js';
import { badUserInput, parseInput } from '../errors.js';
import { POLICIES } from './definitions.js';
import type { Parameters, ParameterValue, QualificationResult } from './engine.js';
import type { StoredEvaluation } from './evaluations.js';

export { changedCriteria, sinceLast, type QualificationChange, type StoredEvaluation } from './evaluations.js';
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

export type ParameterRow = typeof policyParameters.$inferSelect;

/** which parameter rows are in force on a date: of those recorded by then, each code's latest */
const inForce = (policyId: string, asOf: string) => and(eq(policyParameters.policyId, policyId), lte(policyParameters.effectiveFrom, asOf));
const latestPerCode = [policyParameters.code, desc(policyParameters.effectiveFrom)] as const;

/** The parameters of a policy in force on a date, as recorded (who set each, when). */
export function parametersInForce(db: Db, policyId: string, asOf: string): Promise<ParameterRow[]> {
  return db
    .selectDistinctOn([policyParameters.code])
    .from(policyParameters)
    .where(inForce(policyId, asOf))
    .orderBy(...latestPerCode);
}

export async function parametersAsOf(db: Db, policyId: string, asOf: string): Promise<Parameters> {
  return parametersOf(await parametersInForce(db, policyId, asOf));
}

const parameterRows = jsonRows(policyParameters);

/** `parametersInForce` as one JSON value of a larger statement (a households page's, src/households/page-read.ts); `parametersFrom` reads it back */
export function selectParametersInForce(policyId: string, asOf: string): SQL {
  const p = policyParameters;
  return parameterRows.select(
    sql`${p.id} in (select distinct on (${p.code}) ${p.id} from ${p} where ${inForce(policyId, asOf)} order by ${sql.join([...latestPerCode], sql`, `)})`,
  );
}

export const parametersFrom = (value: unknown): Parameters => parametersOf(parameterRows.build(value));

const parametersOf = (rows: readonly ParameterRow[]): Parameters =>
  new Map(rows.map((r) => [r.code, { ...r, comparator: r.comparator as ParameterValue['comparator'] }]));

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

const parametersKey = (policyId: string, asOf: string) => `${policyId}|${asOf}`;

/** Per request: each policy and its parameters on a date read once, however many households ask. */
export function createPolicyCache(db: Db) {
  const rows = new Map<string, Promise<typeof policies.$inferSelect | undefined>>();
  const values = new Map<string, Promise<Parameters>>();
  return {
    policy(id: string) {
      let found = rows.get(id);
      if (!found)
        rows.set(
          id,
          (found = db
            .select()
            .from(policies)
            .where(eq(policies.id, id))
            .then((r) => r[0])),
        );
      return found;
    },
    parameters(policyId: string, asOf: string) {
      const key = parametersKey(policyId, asOf);
      let found = values.get(key);
      if (!found) values.set(key, (found = parametersAsOf(db, policyId, asOf)));
      return found;
    },
    /** parameters read by a larger statement (selectParametersInForce): `parameters` answers them without a read */
    prime(policyId: string, asOf: string, parameters: Parameters) {
      const key = parametersKey(policyId, asOf);
      if (!values.has(key)) values.set(key, Promise.resolve(parameters));
    },
  };
}

export type PolicyCache = ReturnType<typeof createPolicyCache>;

type EvaluationRow = typeof qualificationEvaluations.$inferInsert;
const storedColumns = {
  id: qualificationEvaluations.id,
  householdId: qualificationEvaluations.householdId,
  policyId: qualificationEvaluations.policyId,
  policyVersion: qualificationEvaluations.policyVersion,
  asOf: qualificationEvaluations.asOf,
  outcome: qualificationEvaluations.outcome,
  result: qualificationEvaluations.result,
  evaluatedAt: qualificationEvaluations.evaluatedAt,
  evaluatedBy: qualificationEvaluations.evaluatedBy,
};

/** The latest stored evaluation of each household under each of the policies. */
export async function latestEvaluations(db: Db, householdIds: readonly number[], policyIds: readonly string[]): Promise<StoredEvaluation[]> {
  if (householdIds.length === 0) return [];
  const rows = await db
    .selectDistinctOn([qualificationEvaluations.householdId, qualificationEvaluations.policyId], storedColumns)
    .from(qualificationEvaluations)
    .where(and(anyOf(qualificationEvaluations.householdId, householdIds), anyOf(qualificationEvaluations.policyId, policyIds)))
    .orderBy(qualificationEvaluations.householdId, qualificationEvaluations.policyId, desc(qualificationEvaluations.id));
  return rows as StoredEvaluation[];
}

/** What is stored of an evaluation: the verdict, each criterion's outcome and value, the inputs' as-of dates, and who stored it. */
export function evaluationRow(householdId: number, policy: { id: string; version: number }, result: QualificationResult, evaluatedBy: string): EvaluationRow {
  const inputsAsOf: Record<string, string> = {};
  for (const c of result.criteria) {
    for (const e of c.evidence) {
      if (e.asOf && (!inputsAsOf[e.agency] || e.asOf < inputsAsOf[e.agency]!)) inputsAsOf[e.agency] = e.asOf;
    }
  }
  return {
    householdId,
    policyId: policy.id,
    policyVersion: policy.version,
    asOf: result.asOf,
    category: result.category,
    outcome: result.verdict,
    inputsAsOf,
    result: { verdict: result.verdict, criteria: result.criteria.map((c) => ({ code: c.code, outcome: c.outcome, actual: c.actual })) },
    evaluatedBy,
  };
}

/**
 * Per request: the latest stored evaluation of a household under a policy (one read for a whole
 * page), and storing one on purpose (recordQualification). Reading a qualification stores nothing:
 * only reviews and recordQualification do, so sinceLast compares with evaluations someone meant to keep.
 */
export function createEvaluationStore(db: Db) {
  const latest = new DataLoader<string, StoredEvaluation | null>(
    async (keys) => {
      const pairs = keys.map((k) => k.split('|'));
      const rows = await latestEvaluations(
        db,
        pairs.map(([h]) => Number(h)),
        [...new Set(pairs.map(([, p]) => p!))],
      );
      const byKey = new Map(rows.map((r) => [`${r.householdId}|${r.policyId}`, r]));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { cache: false },
  );

  return {
    latest(householdId: number, policyId: string): Promise<StoredEvaluation | null> {
      return latest.load(`${householdId}|${policyId}`);
    },
    /** stores the evaluation; returns it with the one stored before it */
    async record(
      householdId: number,
      policy: { id: string; version: number },
      result: QualificationResult,
      by: string,
    ): Promise<{ previous: StoredEvaluation | null; stored: StoredEvaluation }> {
      return db.transaction(async (tx) => {
        const [previous] = await latestEvaluations(tx, [householdId], [policy.id]);
        const [stored] = await tx
          .insert(qualificationEvaluations)
          .values(evaluationRow(householdId, policy, result, by))
          .returning(storedColumns);
        return { previous: previous ?? null, stored: stored as StoredEvaluation };
      });
    },
  };
}

export type EvaluationStore = ReturnType<typeof createEvaluationStore>;

// ---- reading policies ---------------------------------------------------------------------------

export const listPolicies = (db: Db) => db.select().from(policies).orderBy(asc(policies.id));

export async function findPolicy(db: Db, id: string) {
  return (await db.select().from(policies).where(eq(policies.id, id)))[0] ?? null;
}

/** every value ever recorded, per code, newest first */
export const parameterHistory = (db: Db, policyId: string, code?: string | null) =>
  db
    .select()
    .from(policyParameters)
    .where(code ? and(eq(policyParameters.policyId, policyId), eq(policyParameters.code, code)) : eq(policyParameters.policyId, policyId))
    .orderBy(asc(policyParameters.code), desc(policyParameters.effectiveFrom));
