// Who may call the hub (API keys, stored hashed) and what they read and did (the audit log).
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const apiKeys = pgTable('api_keys', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  /** the key's public part, shown in listings and used to find it */
  prefix: text('prefix').notNull().unique(),
  /** SHA-256 of the whole key: keys are 32 random bytes, so a fast hash is enough */
  hash: text('hash').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  districts: jsonb('districts').$type<string[] | null>(),
  agency: text('agency'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE): every read of personal data, every change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    requestId: text('request_id').notNull(),
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    /** READ (agency data), IDENTITY (full ID and name, with a purpose), or the mutation / feed done */
    action: text('action').notNull(),
    householdId: integer('household_id'),
    /** the resident ID or housing unit read about */
    subject: text('subject'),
    agencies: jsonb('agencies').$type<string[]>(),
    purpose: text('purpose'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_household_idx').on(t.householdId), index('audit_log_actor_idx').on(t.actor, t.at)],
);
