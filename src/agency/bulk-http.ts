// POST /feeds/{agency}/{kind}?batchKey=…&mode=…&asOf=…  with an NDJSON or CSV body: large files,
// streamed record by record into the same ingestion as the GraphQL feeds, never held whole in memory.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { getTableColumns } from 'drizzle-orm';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { connectors } from '../../connectors/index.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import { AGENCIES, type AgencyId, type RecordKind } from './connector.js';
import { ingestAndDetect } from '../detection/after-feed.js';
import { BatchKeyReused, FeedConflict, FeedInputError, RecordBatch, UnparsableRecord } from './ingest.js';
import { AuditTrail } from '../auth/audit.js';
import { mayFeed, type Caller } from '../auth/caller.js';

/** NDJSON records, a RecordBatch per piece of the body as it arrives; a line that is not JSON becomes an UnparsableRecord. */
async function* ndjsonRecords(body: Readable): AsyncGenerator<RecordBatch> {
  const decoder = new StringDecoder('utf8');
  const parse = (line: string) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return new UnparsableRecord('not a JSON object on one line');
    }
  };
  let rest = '';
  for await (const chunk of body) {
    const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = lines.pop()!;
    yield new RecordBatch(lines.filter((l) => l.trim() !== '').map(parse));
  }
  rest += decoder.end();
  if (rest.trim() !== '') yield new RecordBatch([parse(rest)]);
}

/** CSV cells are text: numbers become numbers for numeric columns, empty cells are absent. */
async function* csvRecords(body: Readable, kind: RecordKind): AsyncGenerator<unknown> {
  const columns = getTableColumns(kind.table);
  const numeric = new Set(Object.entries(columns).filter(([, c]) => c.dataType === 'number').map(([k]) => k));
  const parser = body.pipe(parse({ columns: true, skip_empty_lines: true, relax_column_count: true, trim: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const record: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value === '') continue;
      record[key] = numeric.has(key) && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
    }
    yield record;
  }
}

const querySchema = z.object({
  batchKey: z.string().min(1, 'is required'),
  mode: z.enum(['KEEP_VALID', 'ALL_OR_NOTHING']).default('KEEP_VALID'),
  asOf: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
  /** the file is every record of the kind the agency holds (see docs/agency-api.md) */
  complete: z.enum(['true', 'false']).default('false'),
  /** an empty body stating the agency has nothing (new) to report for the kind */
  nothingToReport: z.enum(['true', 'false']).default('false'),
});

export function bulkFeedHandler(database: Database, log: Logger, bureauToday: () => string) {
  return async (req: Request, res: Response) => {
    const agency = req.params['agency'] as AgencyId;
    const caller = res.locals['caller'] as Caller;
    // before anything about the feed is told: a token of another agency learns nothing
    if (!mayFeed(caller, agency)) {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: 'forbidden' } });
      return;
    }
    const connector = AGENCIES.includes(agency) ? connectors[agency] : undefined;
    const kind = connector?.kinds[req.params['kind'] as string];
    if (!connector || !kind) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `no feed ${req.params['agency']}/${req.params['kind']}` } });
      return;
    }
    const query = querySchema.safeParse(req.query);
    if (!query.success) {
      const issue = query.error.issues[0]!;
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', field: issue.path.join('.'), message: issue.message } });
      return;
    }
    const type = req.get('content-type') ?? '';
    const records = type.startsWith('text/csv')
      ? csvRecords(req, kind)
      : type.startsWith('application/x-ndjson') || type.startsWith('application/jsonl')
        ? ndjsonRecords(req)
        : null;
    if (!records) {
      res.status(415).json({ error: { code: 'BAD_USER_INPUT', message: 'send application/x-ndjson or text/csv' } });
      return;
    }
    const today = bureauToday();
    if (query.data.asOf && query.data.asOf > today) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', field: 'asOf', message: 'must not be in the future' } });
      return;
    }
    try {
      const result = await ingestAndDetect(
        database,
        connector,
        {
          batchKey: query.data.batchKey,
          mode: query.data.mode,
          asOf: query.data.asOf ?? today,
          parts: [{ kind: kind.kind, records }],
          declarations: {
            complete: query.data.complete === 'true' ? [kind.kind] : [],
            nothingToReport: query.data.nothingToReport === 'true' ? [kind.kind] : [],
          },
        },
        today,
      );
      log.info({ agency, kind: kind.kind, batchKey: result.batchKey, status: result.status, received: result.received, rejected: result.rejected, replayed: result.replayed }, 'bulk feed');
      const audit = new AuditTrail(database.db, res.locals['requestId'] as string, caller, null);
      audit.record(`feed:${agency}/${kind.kind}`, { detail: { batchKey: result.batchKey, status: result.status, received: result.received, accepted: result.accepted, replayed: result.replayed } });
      await audit.flush();
      res.status(result.status === 'REFUSED' ? 422 : 200).json(result);
    } catch (error) {
      if (error instanceof FeedInputError) {
        res.status(400).json({ error: { code: 'BAD_USER_INPUT', field: error.field, message: error.message } });
        return;
      }
      if (error instanceof FeedConflict) {
        res.status(409).json({ error: { code: 'CONFLICT', ...(error instanceof BatchKeyReused ? { field: 'batchKey' } : {}), message: error.message } });
        return;
      }
      log.error({ err: error, agency }, 'bulk feed failed');
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'feed could not be stored; nothing was written' } });
    }
  };
}
