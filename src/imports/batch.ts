// Files the bureau imports (housing units, rent payments): a batch key makes a re-sent file a replay,
// and its digest tells a replay from a different file sent under a used key. Each record is checked
// on its own and reported by index, field and reason; KEEP_VALID keeps the good ones, ALL_OR_NOTHING
// refuses the file whole. The domain decides what a record means through `write`.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { isUniqueViolation, type Db } from '../db/client.js';
import { importBatches } from '../db/schema.js';
import { conflict } from '../errors.js';

export type ImportMode = 'KEEP_VALID' | 'ALL_OR_NOTHING';

export interface RecordError {
  index: number;
  field: string;
  reason: string;
}

export interface ImportResult {
  kind: string;
  batchKey: string;
  mode: ImportMode;
  status: 'ACCEPTED' | 'PARTIAL' | 'REFUSED';
  /** true when this batch key was imported before with the same records: nothing was written */
  replayed: boolean;
  received: number;
  accepted: number;
  rejected: number;
  errors: RecordError[];
}

export interface Valid<T> {
  index: number;
  value: T;
}

export interface ImportDefinition<S extends z.ZodType> {
  /** UNITS, RENT_PAYMENTS: one namespace of batch keys each */
  kind: string;
  /** one record's shape; its issues become the record's errors */
  schema: S;
  /**
   * Writes the valid records in the import's transaction and returns the ones the domain refuses
   * (an unknown tenancy, a duplicate reference). In ALL_OR_NOTHING mode any refusal rolls back all.
   */
  write(tx: Db, records: Valid<z.output<S>>[], by: string): Promise<RecordError[]>;
}

/** the most records one import may hold */
export const MAX_IMPORT_RECORDS = 50_000;

class Refused extends Error {
  constructor(readonly errors: RecordError[]) {
    super('refused');
  }
}

function digestOf(records: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(records)).digest('hex');
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || 'record';
}

export async function runImport<S extends z.ZodType>(
  db: Db,
  definition: ImportDefinition<S>,
  args: { batchKey: string; mode: ImportMode; records: readonly unknown[]; by: string },
): Promise<ImportResult> {
  const { kind } = definition;
  const digest = digestOf(args.records);
  const base = { kind, batchKey: args.batchKey, mode: args.mode, received: args.records.length };

  const previous = async () => {
    const [row] = await db
      .select()
      .from(importBatches)
      .where(and(eq(importBatches.kind, kind), eq(importBatches.batchKey, args.batchKey)));
    if (!row) return null;
    if (row.digest !== digest) throw conflict('batchKey', `batch key ${args.batchKey} was already used for other records; use a new key`);
    return { ...(row.result as ImportResult), replayed: true };
  };
  const earlier = await previous();
  if (earlier) return earlier;

  const errors: RecordError[] = [];
  const valid: Valid<z.output<S>>[] = [];
  args.records.forEach((record, index) => {
    const parsed = definition.schema.safeParse(record);
    if (parsed.success) valid.push({ index, value: parsed.data as z.output<S> });
    else for (const issue of parsed.error.issues) errors.push({ index, field: pathOf(issue.path), reason: issue.message });
  });
  const refuse = (all: RecordError[]): ImportResult => ({
    ...base,
    status: 'REFUSED',
    replayed: false,
    accepted: 0,
    rejected: new Set(all.map((e) => e.index)).size,
    errors: all.sort((a, b) => a.index - b.index),
  });
  if (args.mode === 'ALL_OR_NOTHING' && errors.length) return refuse(errors);

  try {
    return await db.transaction(async (tx) => {
      const refused = await definition.write(tx, valid, args.by);
      const all = [...errors, ...refused].sort((a, b) => a.index - b.index);
      if (args.mode === 'ALL_OR_NOTHING' && refused.length) throw new Refused(all);
      const rejected = new Set(all.map((e) => e.index)).size;
      const result: ImportResult = {
        ...base,
        status: rejected === 0 ? 'ACCEPTED' : rejected === args.records.length ? 'REFUSED' : 'PARTIAL',
        replayed: false,
        accepted: args.records.length - rejected,
        rejected,
        errors: all,
      };
      // a file with nothing good in it is not remembered: corrected, it may be sent again under its key
      if (result.accepted > 0) await tx.insert(importBatches).values({ kind, batchKey: args.batchKey, digest, importedBy: args.by, result });
      return result;
    });
  } catch (error) {
    if (error instanceof Refused) return refuse(error.errors);
    // the same key imported by another request meanwhile
    if (isUniqueViolation(error)) {
      const meanwhile = await previous();
      if (meanwhile) return meanwhile;
    }
    throw error;
  }
}
