// Rent payments (KC-15..17, KC-36): each one recorded once by its bank or counter reference and
// allocated to a named month, or else to the months owing, oldest first. Rent owed by an ended
// tenancy can still be paid. The hub holds no credit: a payment above what is owed is refused, and
// the bureau refunds it or records the right amount.
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { anyOf, selectRows, type Db } from '../db/client.js';
import { rentLedger, tenancies } from '../db/schema.js';
import { chargeRent } from './charges.js';
import { cents, monthOf, yuan } from './months.js';
import { rentPayments } from './tables.js';

export type RentPaymentRow = typeof rentPayments.$inferSelect;
export interface AllocatedMonth {
  month: string;
  amount: number;
}

const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
const id = (what: string) =>
  z.coerce
    .number({ message: `must be ${what}` })
    .int(`must be ${what}`)
    .positive(`must be ${what}`);

/** One payment, as the mutation and the import both take it. */
export function paymentSchema(today: string) {
  return z.object({
    tenancyId: id('a tenancy id'),
    amount: z
      .number({ message: 'must be a number' })
      .finite('must be a number')
      .positive('must be more than 0')
      .max(1_000_000, 'at most 1,000,000')
      .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimals (fen)'),
    paidOn: isoDate.refine((d) => d <= today, 'must not be in the future'),
    reference: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters'),
    /** any day of the month names the month */
    month: isoDate.transform(monthOf).nullish(),
  });
}

export type PaymentInput = z.output<ReturnType<typeof paymentSchema>>;

export interface PaymentRefusal {
  index: number;
  field: 'tenancyId' | 'amount' | 'reference' | 'month';
  reason: string;
  /** the reference was recorded before (or earlier in the same file) */
  duplicate?: boolean;
}

interface Line {
  id: number;
  month: string;
  due: number;
  paid: number;
  paidOn: string | null;
  changed: boolean;
}

const money = (c: number) => yuan(c).toFixed(2);

/**
 * Allocates and records payments, in the order given, in the caller's transaction. Refused payments
 * write nothing; the others update the ledger and are stored with their allocation.
 */
export async function applyPayments(
  tx: Db,
  payments: readonly { index: number; value: PaymentInput }[],
  by: string,
  today: string,
  batchId: number | null = null,
): Promise<{ refused: PaymentRefusal[]; recorded: RentPaymentRow[] }> {
  const refused: PaymentRefusal[] = [];
  if (payments.length === 0) return { refused, recorded: [] };
  const tenancyIds = [...new Set(payments.map((p) => p.value.tenancyId))];
  const known = new Set((await tx.select({ id: tenancies.id }).from(tenancies).where(anyOf(tenancies.id, tenancyIds))).map((t) => t.id));
  const references = [...new Set(payments.map((p) => p.value.reference))];
  const taken = new Map(
    (await tx.select({ id: rentPayments.id, reference: rentPayments.reference }).from(rentPayments).where(anyOf(rentPayments.reference, references))).map(
      (r) => [r.reference, r.id],
    ),
  );
  // a payment may arrive before today's charges were written: write them first
  const live = tenancyIds.filter((t) => known.has(t));
  if (live.length) await chargeRent(tx, today, live);
  const ledger = new Map<number, Line[]>();
  if (live.length) {
    const rows = await selectRows<{
      id: number;
      tenancy_id: number;
      month: string | Date;
      amount_due: string;
      amount_paid: string;
      paid_on: string | Date | null;
    }>(
      tx,
      sql`select id, tenancy_id, month, amount_due, amount_paid, paid_on from rent_ledger
          where tenancy_id = any(${sql.param(live)}::int[]) order by tenancy_id, month for update`,
    );
    for (const r of rows) {
      const lines = ledger.get(r.tenancy_id) ?? [];
      lines.push({
        id: r.id,
        month: isoOf(r.month),
        due: cents(Number(r.amount_due)),
        paid: cents(Number(r.amount_paid)),
        paidOn: r.paid_on === null ? null : isoOf(r.paid_on),
        changed: false,
      });
      ledger.set(r.tenancy_id, lines);
    }
  }

  const seen = new Set<string>();
  const accepted: { value: PaymentInput; allocation: AllocatedMonth[] }[] = [];
  for (const { index, value } of payments) {
    const refuse = (field: PaymentRefusal['field'], reason: string, duplicate = false) =>
      refused.push({ index, field, reason, ...(duplicate ? { duplicate } : {}) });
    if (!known.has(value.tenancyId)) {
      refuse('tenancyId', `no tenancy ${value.tenancyId}`);
      continue;
    }
    const before = taken.get(value.reference);
    if (before !== undefined || seen.has(value.reference)) {
      refuse('reference', before !== undefined ? `already recorded (payment ${before})` : 'appears twice in this batch', true);
      continue;
    }
    const lines = ledger.get(value.tenancyId) ?? [];
    const amount = cents(value.amount);
    let targets: Line[];
    if (value.month) {
      const line = lines.find((l) => l.month === value.month);
      if (!line) {
        refuse('month', `no rent is charged to tenancy ${value.tenancyId} for ${value.month.slice(0, 7)}`);
        continue;
      }
      const owing = line.due - line.paid;
      if (owing <= 0) {
        refuse('month', `${value.month.slice(0, 7)} is paid in full`);
        continue;
      }
      if (amount > owing) {
        refuse('amount', `more than the ${money(owing)} owed for ${value.month.slice(0, 7)}`);
        continue;
      }
      targets = [line];
    } else {
      targets = lines.filter((l) => l.paid < l.due);
      const owing = targets.reduce((sum, l) => sum + l.due - l.paid, 0);
      if (amount > owing) {
        refuse('amount', owing === 0 ? 'nothing is owed on this tenancy' : `more than the ${money(owing)} owed on this tenancy`);
        continue;
      }
    }
    const allocation: AllocatedMonth[] = [];
    let left = amount;
    for (const line of targets) {
      if (left === 0) break;
      const part = Math.min(left, line.due - line.paid);
      line.paid += part;
      if (line.paidOn === null || value.paidOn > line.paidOn) line.paidOn = value.paidOn;
      line.changed = true;
      left -= part;
      allocation.push({ month: line.month, amount: yuan(part) });
    }
    seen.add(value.reference);
    accepted.push({ value, allocation });
  }

  const changed = [...ledger.values()].flat().filter((l) => l.changed);
  for (let i = 0; i < changed.length; i += 5_000) {
    const chunk = changed.slice(i, i + 5_000);
    await tx.execute(sql`update rent_ledger l set amount_paid = v.paid, paid_on = v.paid_on
      from unnest(${sql.param(chunk.map((l) => l.id))}::int[], ${sql.param(chunk.map((l) => yuan(l.paid).toFixed(2)))}::numeric[], ${sql.param(chunk.map((l) => l.paidOn))}::date[]) as v(id, paid, paid_on)
      where l.id = v.id`);
  }
  const recorded: RentPaymentRow[] = [];
  for (let i = 0; i < accepted.length; i += 1_000) {
    const chunk = accepted.slice(i, i + 1_000);
    recorded.push(
      ...(await tx
        .insert(rentPayments)
        .values(
          chunk.map(({ value, allocation }) => ({
            tenancyId: value.tenancyId,
            amount: value.amount,
            paidOn: value.paidOn,
            reference: value.reference,
            allocation,
            batchId,
            recordedBy: by,
          })),
        )
        .returning()),
    );
  }
  return { refused, recorded };
}

function isoOf(v: string | Date): string {
  return v instanceof Date ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}` : v.slice(0, 10);
}

export function paymentsOfTenancies(db: Db, ids: readonly number[]) {
  return db.select().from(rentPayments).where(anyOf(rentPayments.tenancyId, ids)).orderBy(asc(rentPayments.paidOn), asc(rentPayments.id));
}

export async function ledgerOf(db: Db, tenancyId: number) {
  return db.select().from(rentLedger).where(eq(rentLedger.tenancyId, tenancyId)).orderBy(asc(rentLedger.month));
}
