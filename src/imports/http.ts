// POST /imports/{kind}?batchKey=…&mode=…  with an NDJSON or CSV body: the bureau's files (housing
// units, a bank's rent payments) through the same import as the GraphQL mutations.
import { parse } from 'csv-parse/sync';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AuditTrail } from '../auth/audit.js';
import type { Caller, Role } from '../auth/caller.js';
import type { Database } from '../db/client.js';
import { refusalOf, sendRouteError } from '../errors.js';
import type { Logger } from '../logger.js';
import { MAX_IMPORT_RECORDS, type ImportMode, type ImportResult } from './batch.js';

export interface ImportRoute {
  /** who may import this kind */
  roles: Role[];
  /** fields a CSV cell is read as a number for (a cell of plain decimal digits only) */
  numeric: readonly string[];
  run(database: Database, args: { batchKey: string; mode: ImportMode; records: unknown[]; by: string; today: string }): Promise<ImportResult>;
}

const querySchema = z.object({
  batchKey: z.string().min(1, 'is required').max(200, 'at most 200 characters'),
  mode: z.enum(['KEEP_VALID', 'ALL_OR_NOTHING'], { message: 'must be KEEP_VALID or ALL_OR_NOTHING' }).default('KEEP_VALID'),
});

const DECIMAL = /^-?\d+(\.\d+)?$/;

class BodyError extends Error {}

function recordsOf(req: Request, numeric: ReadonlySet<string>): unknown[] {
  const type = req.get('content-type') ?? '';
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (type.startsWith('text/csv')) {
    let rows: Record<string, string>[];
    try {
      rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
    } catch (error) {
      throw new BodyError(`not a CSV file: ${(error as Error).message}`);
    }
    return rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        if (value === '') continue;
        record[key] = numeric.has(key) && DECIMAL.test(value) ? Number(value) : value;
      }
      return record;
    });
  }
  if (type.startsWith('application/x-ndjson') || type.startsWith('application/jsonl')) {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          return { __unparsable: 'not a JSON object on one line' };
        }
      });
  }
  throw new BodyError('send application/x-ndjson or text/csv');
}

export function importHandler(database: Database, log: Logger, routes: Record<string, ImportRoute>, today: () => string): RequestHandler {
  return async (req: Request, res: Response) => {
    const caller = res.locals['caller'] as Caller;
    const route = routes[req.params['kind'] as string];
    if (!route) {
      sendRouteError(res, 'NOT_FOUND', `no import ${String(req.params['kind'])}`);
      return;
    }
    if (!route.roles.includes(caller.role)) {
      sendRouteError(res, 'FORBIDDEN');
      return;
    }
    const query = querySchema.safeParse(req.query);
    if (!query.success) {
      const issue = query.error.issues[0]!;
      sendRouteError(res, 'BAD_USER_INPUT', issue.message, { field: issue.path.join('.') });
      return;
    }
    let records: unknown[];
    try {
      records = recordsOf(req, new Set(route.numeric));
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      sendRouteError(res, 'BAD_USER_INPUT', error.message, error.message.startsWith('send') ? { status: 415 } : {});
      return;
    }
    if (records.length > MAX_IMPORT_RECORDS) {
      sendRouteError(res, 'PAYLOAD_TOO_LARGE', `at most ${MAX_IMPORT_RECORDS} records per import`);
      return;
    }
    try {
      const result = await route.run(database, { ...query.data, records, by: caller.id, today: today() });
      const audit = new AuditTrail(database.db, res.locals['requestId'] as string, caller, null);
      audit.record(`import:${req.params['kind']}`, {
        detail: { batchKey: result.batchKey, status: result.status, received: result.received, accepted: result.accepted, replayed: result.replayed },
      });
      await audit.flush();
      log.info(
        {
          kind: req.params['kind'],
          batchKey: result.batchKey,
          status: result.status,
          received: result.received,
          rejected: result.rejected,
          replayed: result.replayed,
        },
        'import',
      );
      res.status(result.status === 'REFUSED' ? 422 : 200).json(result);
    } catch (error) {
      const refused = refusalOf(error);
      if (refused) {
        sendRouteError(res, refused.code, refused.message, { field: refused.field });
        return;
      }
      log.error({ err: error }, 'import failed');
      sendRouteError(res, 'INTERNAL_SERVER_ERROR', 'import could not be stored; nothing was written');
    }
  };
}
