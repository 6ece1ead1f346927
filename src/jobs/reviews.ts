// Reviews of many households at once (KC-18's annual review and daily inspection, Guiyang's
// quarterly review). A run is split into chunks, each a job of its own; a chunk already done is
// never done again, so a retried or re-sent chunk, or the schedule firing twice, changes nothing.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Database, type Db } from '../db/client.js';
import { districts, households } from '../db/schema.js';
import { detect } from '../detection/detect.js';
import { reviewChunks, reviewRuns } from './tables.js';

export const REVIEW_KINDS = {
  /** KC-18: every housed family once a year; its qualification is evaluated and stored */
  ANNUAL: { statuses: ['HOUSED', 'SUBSIDISED'], jurisdiction: null, recordEvaluations: true },
  /** Guiyang: housed families reviewed each quarter */
  QUARTERLY: { statuses: ['HOUSED', 'SUBSIDISED'], jurisdiction: 'GUIYANG', recordEvaluations: true },
  /** KC-18's daily inspection: every rule over every family in the programme; nothing stored but alerts */
  DAILY: { statuses: ['WAITLISTED', 'HOUSED', 'SUBSIDISED'], jurisdiction: null, recordEvaluations: false },
} as const satisfies Record<string, { statuses: readonly string[]; jurisdiction: string | null; recordEvaluations: boolean }>;

export type ReviewKind = keyof typeof REVIEW_KINDS;
export type ReviewRun = typeof reviewRuns.$inferSelect;

export interface ChunkJob {
  runId: number;
  chunk: number;
}

async function householdsUnderReview(db: Db, kind: ReviewKind): Promise<number[]> {
  const scope = REVIEW_KINDS[kind];
  const rows = await db
    .select({ id: households.id })
    .from(households)
    .innerJoin(districts, eq(districts.id, households.districtId))
    .where(and(inArray(households.status, [...scope.statuses]), scope.jurisdiction ? eq(districts.jurisdiction, scope.jurisdiction) : undefined))
    .orderBy(asc(households.id));
  return rows.map((r) => r.id);
}

const findRun = async (db: Pick<Db, 'select'>, kind: ReviewKind, asOf: string): Promise<ReviewRun | undefined> =>
  (
    await db
      .select()
      .from(reviewRuns)
      .where(and(eq(reviewRuns.kind, kind), eq(reviewRuns.asOf, asOf)))
  )[0];

/** A new run and its chunks; when another start won the race, that one's run. */
async function createRun(db: Db, kind: ReviewKind, asOf: string, startedBy: string, chunkSize: number): Promise<ReviewRun> {
  const ids = await householdsUnderReview(db, kind);
  const chunks: number[][] = [];
  for (let i = 0; i < ids.length; i += chunkSize) chunks.push(ids.slice(i, i + chunkSize));
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(reviewRuns)
      .values({ kind, asOf, households: ids.length, chunks: chunks.length, startedBy, finishedAt: chunks.length ? null : sql`now()` })
      .onConflictDoNothing()
      .returning();
    if (!created) return (await findRun(tx, kind, asOf))!;
    for (let i = 0; i < chunks.length; i += 1_000) {
      await tx.insert(reviewChunks).values(chunks.slice(i, i + 1_000).map((householdIds, j) => ({ runId: created.id, chunk: i + j, householdIds })));
    }
    return created;
  });
}

/**
 * The run of `kind` for `asOf`, created with its chunks if there is none yet, and the chunks not
 * yet done, for the caller to queue.
 */
export async function openReview(
  database: Database,
  kind: ReviewKind,
  asOf: string,
  startedBy: string,
  chunkSize: number,
): Promise<{ run: ReviewRun; pending: ChunkJob[] }> {
  const db = database.db;
  const run = (await findRun(db, kind, asOf)) ?? (await createRun(db, kind, asOf, startedBy, chunkSize));
  const pending = await db
    .select({ chunk: reviewChunks.chunk })
    .from(reviewChunks)
    .where(and(eq(reviewChunks.runId, run.id), isNull(reviewChunks.doneAt)))
    .orderBy(asc(reviewChunks.chunk));
  return { run, pending: pending.map((p) => ({ runId: run.id, chunk: p.chunk })) };
}

/**
 * Reviews one chunk's households, unless that was done already; closes the run with its last chunk.
 * Atomic: the chunk's evaluations, alerts, their webhook deliveries and its "done" mark commit
 * together (alerts are announced on commit), so a chunk cut short leaves nothing and is redone whole.
 */
export async function reviewChunk(database: Database, job: ChunkJob): Promise<void> {
  const db = database.db;
  // counted apart, so a chunk that keeps failing shows its attempts
  const [counted] = await db
    .update(reviewChunks)
    .set({ attempts: sql`${reviewChunks.attempts} + 1` })
    .where(and(eq(reviewChunks.runId, job.runId), eq(reviewChunks.chunk, job.chunk), isNull(reviewChunks.doneAt)))
    .returning({ chunk: reviewChunks.chunk });
  if (!counted) return;
  await db.transaction(async (tx) => {
    // the lock: a second worker on the same chunk waits here, then finds it done
    const [claimed] = await tx
      .select({ householdIds: reviewChunks.householdIds })
      .from(reviewChunks)
      .where(and(eq(reviewChunks.runId, job.runId), eq(reviewChunks.chunk, job.chunk), isNull(reviewChunks.doneAt)))
      .for('update');
    if (!claimed) return;
    const [run] = await tx.select().from(reviewRuns).where(eq(reviewRuns.id, job.runId));
    const kind = run!.kind as ReviewKind;
    const raised = await detect({ db: tx }, claimed.householdIds, run!.asOf, {
      recordEvaluations: REVIEW_KINDS[kind].recordEvaluations,
      evaluatedBy: `review ${kind}`,
    });
    await tx
      .update(reviewChunks)
      .set({ doneAt: sql`now()`, alertsRaised: raised.length })
      .where(and(eq(reviewChunks.runId, job.runId), eq(reviewChunks.chunk, job.chunk)));
    await tx.execute(
      sql`update review_runs set finished_at = now() where id = ${job.runId} and finished_at is null
          and not exists (select 1 from review_chunks where run_id = ${job.runId} and done_at is null)`,
    );
  });
  // again after commit: two last chunks committing at once each saw the other still open
  await db.execute(
    sql`update review_runs set finished_at = now() where id = ${job.runId} and finished_at is null
        and not exists (select 1 from review_chunks where run_id = ${job.runId} and done_at is null)`,
  );
}

export interface ReviewProgress extends ReviewRun {
  chunksDone: number;
  alertsRaised: number;
}

export async function listReviews(db: Db, first: number, id?: number): Promise<ReviewProgress[]> {
  const rows = await db
    .select({
      run: reviewRuns,
      chunksDone: sql<number>`(select count(*) from review_chunks c where c.run_id = ${reviewRuns.id} and c.done_at is not null)::int`,
      alertsRaised: sql<number>`(select coalesce(sum(c.alerts_raised), 0) from review_chunks c where c.run_id = ${reviewRuns.id})::int`,
    })
    .from(reviewRuns)
    .where(id === undefined ? undefined : eq(reviewRuns.id, id))
    .orderBy(desc(reviewRuns.id))
    .limit(first);
  return rows.map((r) => ({ ...r.run, chunksDone: r.chunksDone, alertsRaised: r.alertsRaised }));
}
