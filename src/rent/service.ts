// What the resolvers and the import route call: one transaction per mutation, one per import.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { isUniqueViolation, type Db } from '../db/client.js';
import { importBatches } from '../db/schema.js';
import { badUserInput, conflict, parseInput } from '../errors.js';
import { runImport, type ImportDefinition, type ImportMode, type ImportResult } from '../imports/batch.js';
import type { ImportRoute } from '../imports/http.js';
import { applyPayments, paymentSchema, type RentPaymentRow } from './payments.js';

export const RENT_PAYMENTS_IMPORT = 'RENT_PAYMENTS';

/** One payment at the counter or from the bank: CONFLICT naming input.reference when it was recorded before. */
export async function recordRentPayment(db: Db, raw: unknown, by: string, today: string): Promise<RentPaymentRow> {
  const input = parseInput(paymentSchema(today), raw);
  try {
    return await db.transaction(async (tx) => {
      const { refused, recorded } = await applyPayments(tx, [{ index: 0, value: input }], by, today);
      const problem = refused[0];
      if (problem) {
        const field = `input.${problem.field}`;
        throw problem.duplicate ? conflict(field, problem.reason) : badUserInput(field, problem.reason);
      }
      return recorded[0]!;
    });
  } catch (error) {
    // the same reference recorded by another request meanwhile
    if (isUniqueViolation(error)) throw conflict('input.reference', 'already recorded');
    throw error;
  }
}

function importDefinition(today: string, recorded: number[]): ImportDefinition<ReturnType<typeof paymentSchema>> {
  return {
    kind: RENT_PAYMENTS_IMPORT,
    schema: paymentSchema(today),
    async write(tx, records, by) {
      const result = await applyPayments(tx, records, by, today);
      recorded.push(...result.recorded.map((p) => p.id));
      return result.refused.map(({ index, field, reason }) => ({ index, field, reason }));
    },
  };
}

/** A bank's or treasury's file of payments: per-record errors (unknown tenancy, duplicate reference, bad amount or date). */
export async function importRentPayments(
  db: Db,
  args: { batchKey: string; mode: ImportMode; records: readonly unknown[]; by: string; today: string },
): Promise<ImportResult> {
  const batchKey = parseInput(z.string().trim().min(1, 'is required').max(200, 'at most 200 characters'), args.batchKey, 'batchKey');
  const recorded: number[] = [];
  const result = await runImport(db, importDefinition(args.today, recorded), { ...args, batchKey });
  if (!result.replayed && recorded.length) {
    // the batch row is written with the payments; link them to it for the record
    const [batch] = await db
      .select({ id: importBatches.id })
      .from(importBatches)
      .where(sql`${importBatches.kind} = ${RENT_PAYMENTS_IMPORT} and ${importBatches.batchKey} = ${batchKey}`);
    if (batch) await db.execute(sql`update rent_payments set batch_id = ${batch.id} where id = any(${sql.param(recorded)}::int[])`);
  }
  return result;
}

export const rentPaymentsRoute: ImportRoute = {
  roles: ['ADMIN', 'MANAGER'],
  numeric: ['tenancyId', 'amount'],
  run: (database, args) => importRentPayments(database.db, args),
};
