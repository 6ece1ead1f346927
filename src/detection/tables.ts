// Alerts: what change detection found, deduplicated by (household, rule, period), with a lifecycle.
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { households } from '../db/schema.js';

export const alertSeverity = pgEnum('alert_severity', ['LOW', 'MEDIUM', 'HIGH']);
export const alertStatus = pgEnum('alert_status', ['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'DISMISSED']);

export const alerts = pgTable(
  'alerts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    householdId: integer('household_id')
      .notNull()
      .references(() => households.id),
    districtId: text('district_id').notNull(),
    rule: text('rule').notNull(),
    article: text('article').notNull(),
    severity: alertSeverity('severity').notNull(),
    action: text('action').notNull(),
    /** what the alert is about in time or thing: a month, a plate, a person; part of the dedup key */
    period: text('period').notNull(),
    summary: text('summary').notNull(),
    evidence: jsonb('evidence').notNull(),
    status: alertStatus('status').notNull().default('OPEN'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alerts_dedup_key').on(t.householdId, t.rule, t.period),
    index('alerts_status_district_idx').on(t.status, t.districtId, t.id),
  ],
);

export const alertEvents = pgTable(
  'alert_events',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id),
    status: alertStatus('status').notNull(),
    by: text('by').notNull(),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('alert_events_alert_idx').on(t.alertId)],
);
