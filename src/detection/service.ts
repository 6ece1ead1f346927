// Alerts for dashboards: filtered pages, counts, and the lifecycle OPEN → ACKNOWLEDGED → RESOLVED | DISMISSED.
import { and, count, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { decodeCursor, pageOf, pageSize } from '../db/batch.js';
import type { Db } from '../db/client.js';
import { badUserInput, parseInput } from '../errors.js';
import { alertEvents, alerts, alertSeverity, alertStatus } from './tables.js';

type Status = (typeof alertStatus.enumValues)[number];

export interface AlertFilter {
  status?: Status | null;
  rule?: string | null;
  districtId?: string | null;
  /** set by access control for a caller bound to some districts */
  districtIds?: string[] | null;
  severity?: (typeof alertSeverity.enumValues)[number] | null;
  householdId?: string | null;
  assignee?: string | null;
}

function conditions(filter: AlertFilter | null | undefined): SQL[] {
  const out: SQL[] = [];
  if (filter?.status) out.push(eq(alerts.status, filter.status));
  if (filter?.rule) out.push(eq(alerts.rule, filter.rule));
  if (filter?.districtId) out.push(eq(alerts.districtId, filter.districtId));
  if (filter?.districtIds) out.push(inArray(alerts.districtId, filter.districtIds));
  if (filter?.severity) out.push(eq(alerts.severity, filter.severity));
  if (filter?.householdId) out.push(eq(alerts.householdId, Number(filter.householdId)));
  if (filter?.assignee) out.push(eq(alerts.assignee, filter.assignee));
  return out;
}

export async function listAlerts(db: Db, args: { filter?: AlertFilter | null; first?: number | null; after?: string | null }, maxPageSize: number) {
  const first = pageSize(args.first, maxPageSize);
  const where = conditions(args.filter);
  if (args.after) where.push(lt(alerts.id, decodeCursor('alert', args.after)));
  const rows = await db.select().from(alerts).where(and(...where)).orderBy(desc(alerts.id)).limit(first + 1);
  return {
    ...pageOf(rows, first, 'alert'),
    totalCount: async () => (await db.select({ n: count() }).from(alerts).where(and(...conditions(args.filter))))[0]?.n ?? 0,
  };
}

export function alertCounts(db: Db, status: Status, districtIds: string[] | null = null) {
  return db
    .select({ rule: alerts.rule, districtId: alerts.districtId, count: count() })
    .from(alerts)
    .where(and(eq(alerts.status, status), districtIds ? inArray(alerts.districtId, districtIds) : undefined))
    .groupBy(alerts.rule, alerts.districtId)
    .orderBy(alerts.rule, alerts.districtId);
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
