// Scheduled reviews and spot checks: what ran, over whom, and how far it got.
import { date, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One review of many households (KC-18 annual, Guiyang quarterly, the daily inspection), split into
 * chunks that are jobs of their own: a crash loses at most the chunks that were running.
 */
export const reviewRuns = pgTable(
  'review_runs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    kind: text('kind').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    households: integer('households').notNull(),
    chunks: integer('chunks').notNull(),
    startedBy: text('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  // one run of a kind a day: the schedule firing twice, or a retried start, finds the same run
  (t) => [uniqueIndex('review_runs_key').on(t.kind, t.asOf)],
);

export const reviewChunks = pgTable(
  'review_chunks',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => reviewRuns.id),
    chunk: integer('chunk').notNull(),
    householdIds: jsonb('household_ids').$type<number[]>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    alertsRaised: integer('alerts_raised'),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.chunk] })],
);

/** Guiyang's yearly random spot check: the seed and the sample are kept so anyone can redo the draw. */
export const spotChecks = pgTable(
  'spot_checks',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    year: integer('year').notNull(),
    districtId: text('district_id').notNull(),
    seed: text('seed').notNull(),
    share: text('share').notNull(),
    /** household ids in the order given to the draw */
    population: jsonb('population').$type<number[]>().notNull(),
    sample: jsonb('sample').$type<number[]>().notNull(),
    drawnBy: text('drawn_by').notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('spot_checks_key').on(t.year, t.districtId)],
);
