// Provenance shared by every agency's tables: which batch brought the current value, when, as of when.
import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const feedMode = pgEnum('feed_mode', ['KEEP_VALID', 'ALL_OR_NOTHING']);
export const feedStatus = pgEnum('feed_status', ['ACCEPTED', 'PARTIAL']);

/** One row per batch an agency sent; the batch key makes a re-sent batch a replay. */
export const feedBatches = pgTable(
  'feed_batches',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    agency: text('agency').notNull(),
    batchKey: text('batch_key').notNull(),
    mode: feedMode('mode').notNull(),
    status: feedStatus('status').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** counts and the first rejected records, as returned to the agency */
    result: jsonb('result').notNull(),
    /**
     * SHA-256 of what the batch carried (its kinds, records and declarations): the same key sent
     * again with other content is refused, not answered as a replay. Null for batches stored before.
     */
    digest: text('digest'),
  },
  (t) => [uniqueIndex('feed_batches_agency_key').on(t.agency, t.batchKey)],
);

export const coverageBasis = pgEnum('coverage_basis', ['COMPLETE_EXTRACT', 'NOTHING_TO_REPORT']);

/**
 * Which kinds of record a batch made complete, as of its date: only these make the absence of a
 * record evidence of "none" (no vehicle, no home, no business). A batch covers a kind when the
 * agency declared it a complete extract of the kind and every record of that kind was accepted
 * (at least one), or when the agency declared it had nothing to report for the kind.
 */
export const feedCoverage = pgTable(
  'feed_coverage',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => feedBatches.id),
    agency: text('agency').notNull(),
    kind: text('kind').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    basis: coverageBasis('basis').notNull(),
  },
  (t) => [uniqueIndex('feed_coverage_batch_kind').on(t.batchId, t.kind), index('feed_coverage_kind_idx').on(t.agency, t.kind, t.asOf)],
);

/** Every value an agency replaced, kept for change detection and audit. */
export const agencyRecordHistory = pgTable(
  'agency_record_history',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    agency: text('agency').notNull(),
    kind: text('kind').notNull(),
    naturalKey: jsonb('natural_key').notNull(),
    previous: jsonb('previous').notNull(),
    replacedByBatch: integer('replaced_by_batch')
      .notNull()
      .references(() => feedBatches.id),
    replacedAt: timestamp('replaced_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('agency_record_history_key_idx').on(t.agency, t.kind, t.naturalKey)],
);

/**
 * Columns every agency record table carries. Its primary key is the record's natural key: a
 * surrogate id, drawn from a sequence and indexed for every row, cost a fifth of a million-row load
 * and nothing referred to it. batch_id names a feed_batches row but has no foreign key: the check
 * per row cost a third of a million-row load, and only the ingestion writes it.
 */
export function provenance() {
  return {
    batchId: integer('batch_id').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  };
}
