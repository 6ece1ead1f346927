// Alerts for dashboards: filtered pages, counts, and the lifecycle OPEN → ACKNOWLEDGED → RESOLVED | DISMISSED.
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { withinScope, type DistrictScope } from '../auth/scope.js';
import type { Connection } from '../db/batch.js';
import { keysetPage } from '../db/pages.js';
import type { Db } from '../db/client.js';
import { badUserInput, parseInput } from '../errors.js';
import { households } from '../db/schema.js';
import type { AlertRow } from './loaders.js';
import { alertEvents, alerts, alertSeverity, alertStatus, deliveryStatus, webhookDeliveries, webhookEndpoints } from './tables.js';

type Status = (typeof alertStatus.enumValues)[number];

export interface AlertFilter {
  status?: Status | null;
  rule?: string | null;
  districtId?: string | null;
  severity?: (typeof alertSeverity.enumValues)[number] | null;
  householdId?: string | null;
  assignee?: string | null;
}

function conditions(filter: AlertFilter | null | undefined, scope: DistrictScope): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [withinScope(alerts.districtId, scope)];
  if (filter?.status) out.push(eq(alerts.status, filter.status));
  if (filter?.rule) out.push(eq(alerts.rule, filter.rule));
  if (filter?.districtId) out.push(eq(alerts.districtId, filter.districtId));
  if (filter?.severity) out.push(eq(alerts.severity, filter.severity));
  if (filter?.householdId) out.push(eq(alerts.householdId, Number(filter.householdId)));
  if (filter?.assignee) out.push(eq(alerts.assignee, filter.assignee));
  return out;
}

export type AlertConnectionView = Connection<AlertRow>;

/** newest first, within the scope's districts */
export async function listAlerts(
  db: Db,
  args: { filter?: AlertFilter | null; first?: number | null; after?: string | null },
  scope: DistrictScope,
  maxPageSize: number,
): Promise<AlertConnectionView> {
  return keysetPage(db, { table: alerts, id: alerts.id, cursor: 'alert', order: 'newest first' }, () => conditions(args.filter, scope), args, maxPageSize);
}

/** open (or other) alerts per rule and district, within the scope's districts */
export function alertCounts(db: Db, status: Status, scope: DistrictScope) {
  return db
    .select({ rule: alerts.rule, districtId: alerts.districtId, count: count() })
    .from(alerts)
    .where(and(eq(alerts.status, status), withinScope(alerts.districtId, scope)))
    .groupBy(alerts.rule, alerts.districtId)
    .orderBy(alerts.rule, alerts.districtId);
}

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryView = typeof webhookDeliveries.$inferSelect & { endpoint: WebhookEndpointRow };

/** the latest deliveries first, each with its endpoint */
export async function listWebhookDeliveries(
  db: Db,
  args: { status?: (typeof deliveryStatus.enumValues)[number] | null; first?: number | null },
  maxPageSize: number,
): Promise<WebhookDeliveryView[]> {
  const first = Math.min(Math.max(args.first ?? 50, 1), maxPageSize);
  const rows = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(args.status ? eq(webhookDeliveries.status, args.status) : undefined)
    .orderBy(desc(webhookDeliveries.id))
    .limit(first);
  return rows.map((r) => ({ ...r.delivery, endpoint: r.endpoint }));
}

/** the households a detection run covers: those named (ids that are not numbers are skipped), else every one */
export async function householdsToDetect(db: Db, householdIds: readonly string[] | null | undefined): Promise<number[]> {
  if (householdIds?.length) return householdIds.map(Number).filter(Number.isSafeInteger);
  return (await db.select({ id: households.id }).from(households)).map((h) => h.id);
}

const NEXT: Record<Status, Status[]> = {
  OPEN: ['ACKNOWLEDGED', 'RESOLVED', 'DISMISSED'],
  ACKNOWLEDGED: ['RESOLVED', 'DISMISSED'],
  RESOLVED: [],
  DISMISSED: [],
};

const updateSchema = z.object({
  alertId: z.coerce.number().int().positive('must be an alert id'),
  status: z.enum(alertStatus.enumValues),
  note: z.string().max(2000, 'at most 2000 characters').nullish(),
});

export async function updateAlert(db: Db, raw: unknown, by: string) {
  const input = parseInput(updateSchema, raw);
  return db.transaction(async (tx) => {
    const [alert] = await tx.select().from(alerts).where(eq(alerts.id, input.alertId)).for('update');
    if (!alert) throw badUserInput('input.alertId', 'no alert with this id');
    if (!NEXT[alert.status].includes(input.status)) {
      throw badUserInput('input.status', `an ${alert.status} alert cannot become ${input.status}`);
    }
    const [updated] = await tx.update(alerts).set({ status: input.status }).where(eq(alerts.id, alert.id)).returning();
    await tx.insert(alertEvents).values({ alertId: alert.id, status: input.status, by, note: input.note ?? null });
    return updated!;
  });
}

const assignSchema = z.object({
  alertId: z.coerce.number().int().positive('must be an alert id'),
  assignee: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters').nullish(),
  note: z.string().max(2000, 'at most 2000 characters').nullish(),
});

/** Who works the alert (null: nobody); recorded in its history without changing its status. */
export async function assignAlert(db: Db, raw: unknown, by: string) {
  const input = parseInput(assignSchema, raw);
  return db.transaction(async (tx) => {
    const [alert] = await tx.select().from(alerts).where(eq(alerts.id, input.alertId)).for('update');
    if (!alert) throw badUserInput('input.alertId', 'no alert with this id');
    if (NEXT[alert.status].length === 0) throw badUserInput('input.alertId', `the alert is ${alert.status}: a closed alert is not assigned`);
    const assignee = input.assignee ?? null;
    const [updated] = await tx.update(alerts).set({ assignee }).where(eq(alerts.id, alert.id)).returning();
    const what = assignee ? `assigned to ${assignee}` : 'unassigned';
    await tx.insert(alertEvents).values({ alertId: alert.id, status: alert.status, by, note: input.note ? `${what}: ${input.note}` : what });
    return updated!;
  });
}
