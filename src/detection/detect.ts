// Runs the rules for a set of households and stores what they find, deduplicated: a household, a
// rule and a period raise one alert, however often the same facts arrive.
import { and, eq, isNull, max } from 'drizzle-orm';
import { agencies, connectors } from '../../connectors/index.js';
import { loadMany, type RecordKind } from '../agency/connector.js';
import { createAgencyLoaders } from '../agency/loaders.js';
import { groupByKey } from '../db/batch.js';
import { anyOf, type Database, type Db } from '../db/client.js';
import { households, persons, rentLedger, tenancies, waitlistEntries } from '../db/schema.js';
import { evaluatorFor } from '../policy/engine.js';
import { factsInBulk } from '../policy/facts.js';
import { policies, qualificationEvaluations } from '../policy/tables.js';
import { evaluationRow, latestEvaluations, parametersAsOf } from '../policy/service.js';
import { announceAlerts } from './bus.js';
import { enqueueDeliveries } from './webhooks.js';
import { detectAlerts, type AlertDraft, type HouseholdSnapshot, type Reading } from './rules.js';
import { alertEvents, alerts } from './tables.js';

export type AlertRow = typeof alerts.$inferSelect;

/** alerts compare against the policy of the bureau's own jurisdiction */
export const DETECTION_POLICY = 'KC';
const POLICY = DETECTION_POLICY;
const EVALUATIONS_PER_INSERT = 1_000;

/** Households a feed touched: members' resident IDs, or units under a running tenancy. */
export async function householdsOf(database: Pick<Database, 'db'>, kind: RecordKind, subjects: readonly (string | number)[]): Promise<number[]> {
  if (subjects.length === 0) return [];
  const db = database.db;
  const rows =
    kind.subject.type === 'unit'
      ? await db
          .select({ id: tenancies.householdId })
          .from(tenancies)
          .where(and(anyOf(tenancies.unitId, subjects.map(Number)), isNull(tenancies.endDate)))
      : await db
          .select({ id: persons.householdId })
          .from(persons)
          .where(and(anyOf(persons.residentId, subjects.map(String)), isNull(persons.leftOn)));
  return [...new Set(rows.map((r) => r.id))];
}

export interface DetectOptions {
  /** store each household's qualification evaluation (a review); the next run compares with it */
  recordEvaluations?: boolean;
  /** who stores them (`review ANNUAL`) */
  evaluatedBy?: string;
}

/** `database.db` may be a transaction: a review chunk's evaluations, alerts and deliveries commit together */
export async function detect(database: Pick<Database, 'db'>, householdIds: readonly number[], asOf: string, options: DetectOptions = {}): Promise<AlertRow[]> {
  if (householdIds.length === 0) return [];
  const db = database.db;
  const rows = await db.select().from(households).where(anyOf(households.id, householdIds));
  const coverage = await createAgencyLoaders(db, connectors, {}).coverage(asOf);
  const [facts, params, running, waiting, previous, [policy]] = await Promise.all([
    factsInBulk(db, rows, asOf, coverage),
    parametersAsOf(db, POLICY, asOf),
    db
      .select()
      .from(tenancies)
      .where(and(anyOf(tenancies.householdId, householdIds), isNull(tenancies.endDate))),
    db.select().from(waitlistEntries).where(anyOf(waitlistEntries.householdId, householdIds)),
    latestEvaluations(db, householdIds, [POLICY]),
    db.select().from(policies).where(eq(policies.id, POLICY)),
  ]);
  const previousOf = new Map(previous.map((e) => [e.householdId, e]));
  const tenancyOf = new Map(running.map((t) => [t.householdId, t]));
  const [ledger, readings, reviews] = await Promise.all([
    running.length
      ? db
          .select()
          .from(rentLedger)
          .where(
            anyOf(
              rentLedger.tenancyId,
              running.map((t) => t.id),
            ),
          )
      : [],
    loadMany(
      db,
      agencies.utilities.kinds.reading,
      running.map((t) => t.unitId),
    ),
    db
      .select({ householdId: qualificationEvaluations.householdId, on: max(qualificationEvaluations.asOf) })
      .from(qualificationEvaluations)
      .where(anyOf(qualificationEvaluations.householdId, householdIds))
      .groupBy(qualificationEvaluations.householdId),
  ]);
  // grouped once: a sweep chunk has thousands of tenancies and tens of thousands of ledger lines
  const ledgers = groupByKey(
    running.map((t) => t.id),
    ledger,
    (l) => l.tenancyId,
  );
  const ledgerOf = new Map(running.map((t, i) => [t.id, ledgers[i]!]));
  const entryOf = new Map(waiting.map((w) => [w.householdId, w]));
  const readingsOf = new Map<number, Reading[]>(running.map((t, i) => [t.unitId, readings[i]!]));
  const reviewedOn = new Map(reviews.map((r) => [r.householdId, r.on]));
  const evaluateUnder = evaluatorFor(policy!);

  const drafts: AlertDraftFor[] = [];
  const evaluations: (typeof qualificationEvaluations.$inferInsert)[] = [];
  rows.forEach((household, i) => {
    const f = facts[i]!;
    const qualification = evaluateUnder(f, params);
    if (options.recordEvaluations) evaluations.push(evaluationRow(household.id, policy!, qualification, options.evaluatedBy ?? 'review'));
    const tenancy = tenancyOf.get(household.id);
    const entry = entryOf.get(household.id);
    const snapshot: HouseholdSnapshot = {
      household,
      asOf,
      ledger: tenancy ? (ledgerOf.get(tenancy.id) ?? []) : null,
      readings: tenancy ? (readingsOf.get(tenancy.unitId) ?? []) : null,
      // deaths and allowances are facts like any other: the ones qualification and the summary read
      deaths: f.members.flatMap((m) => m.deaths.map((d) => ({ residentId: m.residentId, diedOn: d.diedOn, agency: d.agency }))),
      waitlistedSince: entry ? (entry.requeuedOn ?? entry.enteredOn) : null,
      qualification,
      previousQualification: previousOf.get(household.id) ?? null,
      rentStandard: tenancy?.rentStandard ?? null,
      allowances: f.members.flatMap((m) => m.allowances.map((a) => ({ residentId: m.residentId, status: a.status, until: a.until }))),
      // a review run is itself the review: it stores the evaluation below
      lastReviewedOn: options.recordEvaluations ? asOf : (reviewedOn.get(household.id) ?? null),
      members: f.members.length,
    };
    for (const d of detectAlerts(snapshot, params)) drafts.push({ ...d, householdId: household.id, districtId: household.districtId });
  });
  if (evaluations.length === 0) return raiseAlerts(db, drafts);
  // what a run finds is stored whole or not at all: evaluations with the alerts they raise
  return db.transaction(async (tx) => {
    for (let i = 0; i < evaluations.length; i += EVALUATIONS_PER_INSERT) {
      await tx.insert(qualificationEvaluations).values(evaluations.slice(i, i + EVALUATIONS_PER_INSERT));
    }
    return raiseAlerts(tx, drafts);
  });
}

export type AlertDraftFor = AlertDraft & { householdId: number; districtId: string };

/** Stores the alerts not raised before (dedup key: household, rule, period), queues their webhooks, tells every instance. */
export async function raiseAlerts(db: Db, drafts: AlertDraftFor[], by = 'detection'): Promise<AlertRow[]> {
  if (drafts.length === 0) return [];
  // an alert commits with its history and its webhook deliveries (a crash between them would leave an
  // alert no webhook ever hears of: detecting again finds it already raised); announced on commit
  return db.transaction(async (tx) => {
    const raised = await tx.insert(alerts).values(drafts).onConflictDoNothing().returning();
    if (raised.length) {
      await tx.insert(alertEvents).values(raised.map((a) => ({ alertId: a.id, status: 'OPEN' as const, by })));
      await enqueueDeliveries(tx, raised);
      await announceAlerts(
        tx,
        raised.map((a) => a.id),
      );
    }
    return raised;
  });
}
