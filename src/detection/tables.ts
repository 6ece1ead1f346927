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
    /** the exit case this alert led to (KC-19), if any */
    exitCaseId: integer('exit_case_id'),
    /** who the alert is assigned to */
    assignee: text('assignee'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('alerts_dedup_key').on(t.householdId, t.rule, t.period), index('alerts_status_district_idx').on(t.status, t.districtId, t.id)],
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

export const deliveryStatus = pgEnum('webhook_delivery_status', ['PENDING', 'DELIVERED', 'PARKED']);

/** Other systems that receive alerts by HTTP POST, signed with their secret (HMAC-SHA256). */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  /** only this district's alerts; null for all */
  districtId: text('district_id'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    endpointId: integer('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    alertId: integer('alert_id')
      .notNull()
      .references(() => alerts.id),
    status: deliveryStatus('status').notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webhook_deliveries_key').on(t.endpointId, t.alertId), index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt)],
);

/** Every attempt, as it went. */
export const webhookAttempts = pgTable('webhook_attempts', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  deliveryId: integer('delivery_id')
    .notNull()
    .references(() => webhookDeliveries.id),
  attempt: integer('attempt').notNull(),
  statusCode: integer('status_code'),
  error: text('error'),
  durationMs: integer('duration_ms').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
