// POST /feeds/{agency}/{kind}?batchKey=…&mode=…&asOf=…  with an NDJSON or CSV body: large files,
// streamed record by record into the same ingestion as the GraphQL feeds, never held whole in memory.
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { getTableColumns } from 'drizzle-orm';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { connectors } from '../../connectors/index.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import { AGENCIES, type AgencyId, type RecordKind } from './connector.js';
import { ingestAndDetect } from '../detection/after-feed.js';
import { FeedInputError, RecordBatch, UnparsableRecord } from './ingest.js';
import { feedRefusal } from './errors.js';
import { refusalOf, sendRouteError } from '../errors.js';
import { AuditTrail } from '../auth/audit.js';
import { mayFeed, type Caller } from '../auth/caller.js';

/** The longest NDJSON line read as a record: a longer one is that record's error, its bytes skipped unread. */
export const MAX_LINE_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 text of one line or cell, or null when its bytes are not valid UTF-8 (never replaced by U+FFFD). */
function decode(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

const NOT_UTF8 = 'not valid UTF-8 text';

function ndjsonRecord(bytes: Buffer): unknown {
  const line = decode(bytes);
  if (line === null) return new UnparsableRecord(NOT_UTF8);
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return new UnparsableRecord('not a JSON object on one line');
  }
}

/**
 * NDJSON records, a RecordBatch per piece of the body as it arrives. Lines are cut on the byte 0x0A
 * (never inside a UTF-8 character) and each piece of the body is looked at once: linear in the
 * body, whatever its line lengths. A line that is not JSON, not UTF-8 or too long becomes an
 * UnparsableRecord and the file goes on.
 */
export async function* ndjsonRecords(body: AsyncIterable<Buffer>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<RecordBatch> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  const finish = (tail: Buffer): unknown => {
    if (overlong) {
      overlong = false;
      return new UnparsableRecord(`line longer than ${maxLineBytes} bytes`);
    }
    const bytes = pending.length ? Buffer.concat([...pending, tail]) : tail;
    pending = [];
    pendingBytes = 0;
    return ndjsonRecord(bytes);
  };
  const keep = (piece: Buffer) => {
    if (overlong) return;
    if (pendingBytes + piece.length > maxLineBytes) {
      overlong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(piece);
    pendingBytes += piece.length;
  };
  for await (const chunk of body) {
    const records: unknown[] = [];
    let from = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, from)) {
      if (pendingBytes + at - from > maxLineBytes) keep(chunk.subarray(from, at));
      const record = finish(overlong ? Buffer.alloc(0) : chunk.subarray(from, at));
      if (record !== undefined) records.push(record);
      from = at + 1;
    }
    if (from < chunk.length) keep(chunk.subarray(from));
    if (records.length) yield new RecordBatch(records);
  }
  const last = finish(Buffer.alloc(0));
  if (last !== undefined) yield new RecordBatch([last]);
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * CSV records under the header's names. Cells are text: a numeric column's cell becomes a number
 * only when written in decimal (`0x10` stays text and is refused), an empty cell is absent. A row
 * with more or fewer cells than the header, or a cell that is not UTF-8, is that record's error. A
 * quote left open (or closed mid-cell) leaves the rest of the file unreadable as CSV: it is one
 * last record's error, and the records before it stand.
 */
export async function* csvRecords(body: AsyncIterable<Buffer>, kind: RecordKind): AsyncGenerator<unknown> {
  const columns = getTableColumns(kind.table);
  const numeric = new Set(
    Object.entries(columns)
      .filter(([, c]) => c.dataType === 'number')
      .map(([k]) => k),
  );
  // rows are taken as the parser finds them, not read from its stream: a stream that fails drops
  // the rows it still buffers, and those before a broken quote are good records
  let rows: Buffer[][] = [];
  let failure: unknown = null;
  const parser = parse({
    encoding: null,
    max_record_size: MAX_LINE_BYTES,
    skip_empty_lines: true,
    relax_column_count: true,
    on_record: (row) => {
      rows.push(row as unknown as Buffer[]);
      return null;
    },
  });
  parser.on('error', (error) => (failure ??= error));
  parser.resume();
  let header: string[] | null = null;
  function* take(): Generator<unknown> {
    const found = rows;
    rows = [];
    for (const cells of found) {
      const text = cells.map((cell) => decode(cell)?.trim() ?? null);
      if (!header) {
        if (text.some((t) => t === null)) throw new FeedInputError('header', NOT_UTF8);
        header = text as string[];
        continue;
      }
      if (text.length !== header.length) {
        yield new UnparsableRecord(`has ${text.length} cells, the header has ${header.length}`);
        continue;
      }
      const bad = text.findIndex((t) => t === null);
      if (bad !== -1) {
        yield new UnparsableRecord(`${header[bad]}: ${NOT_UTF8}`);
        continue;
      }
      const record: Record<string, unknown> = {};
      header.forEach((key, i) => {
        const value = text[i]!;
        if (value === '') return;
        record[key] = numeric.has(key) && DECIMAL.test(value) ? Number(value) : value;
      });
      yield record;
    }
  }
  for await (const chunk of body) {
    parser.write(chunk);
    yield* take();
    if (failure) break;
  }
  if (!failure) {
    parser.end();
    await finished(parser).catch((error: unknown) => (failure ??= error));
    yield* take();
  }
  if (failure) {
    if (!(failure instanceof CsvError)) throw failure;
    yield new UnparsableRecord(`not CSV from line ${failure.lines}: ${failure.message}; the rest of the file was not read`);
  }
}

export interface FeedTimeouts {
  /** the longest wait for the next bytes of a feed's body */
  idleMs: number;
  /** the longest a feed's body may take to arrive, however steadily */
  maxMs: number;
}

/** A body that went quiet too long, or arrived too slowly: nothing of its batch is stored. */
class FeedTimeout extends Error {}

/**
 * The request's body, given up on when no byte comes for `idleMs` or the whole takes longer than
 * `maxMs`. Only waiting for the sender counts: the time the hub spends storing is not the sender's.
 */
async function* timedBody(body: Readable, { idleMs, maxMs }: FeedTimeouts): AsyncGenerator<Buffer> {
  const deadline = Date.now() + maxMs;
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const wait = Math.min(idleMs, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FeedTimeout(wait < idleMs ? `the body took longer than ${maxMs / 1000} s to arrive` : `no data for ${idleMs / 1000} s`)),
        Math.max(wait, 0),
      );
    });
    try {
      const next = await Promise.race([chunks.next(), timeout]);
      if (next.done) return;
      yield next.value;
    } finally {
      clearTimeout(timer);
    }
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

export function bulkFeedHandler(database: Database, log: Logger, bureauToday: () => string, timeouts: FeedTimeouts) {
  return async (req: Request, res: Response) => {
    const agency = req.params['agency'] as AgencyId;
    const caller = res.locals['caller'] as Caller;
    // before anything about the feed is told: a token of another agency learns nothing
    if (!mayFeed(caller, agency)) {
      sendRouteError(res, 'FORBIDDEN');
      return;
    }
    const connector = AGENCIES.includes(agency) ? connectors[agency] : undefined;
    const kind = connector?.kinds[req.params['kind'] as string];
    if (!connector || !kind) {
      sendRouteError(res, 'NOT_FOUND', `no feed ${req.params['agency']}/${req.params['kind']}`);
      return;
    }
    const query = querySchema.safeParse(req.query);
    if (!query.success) {
      const issue = query.error.issues[0]!;
      sendRouteError(res, 'BAD_USER_INPUT', issue.message, { field: issue.path.join('.') });
      return;
    }
    const type = req.get('content-type') ?? '';
    const body = timedBody(req, timeouts);
    const records = type.startsWith('text/csv')
      ? csvRecords(body, kind)
      : type.startsWith('application/x-ndjson') || type.startsWith('application/jsonl')
        ? ndjsonRecords(body)
        : null;
    if (!records) {
      sendRouteError(res, 'BAD_USER_INPUT', 'send application/x-ndjson or text/csv', { status: 415 });
      return;
    }
    const today = bureauToday();
    if (query.data.asOf && query.data.asOf > today) {
      sendRouteError(res, 'BAD_USER_INPUT', 'must not be in the future', { field: 'asOf' });
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
          today,
          parts: [{ kind: kind.kind, records }],
          declarations: {
            complete: query.data.complete === 'true' ? [kind.kind] : [],
            nothingToReport: query.data.nothingToReport === 'true' ? [kind.kind] : [],
          },
        },
        today,
      );
      log.info(
        {
          agency,
          kind: kind.kind,
          batchKey: result.batchKey,
          status: result.status,
          received: result.received,
          rejected: result.rejected,
          replayed: result.replayed,
        },
        'bulk feed',
      );
      const audit = new AuditTrail(database.db, res.locals['requestId'] as string, caller, null);
      audit.record(`feed:${agency}/${kind.kind}`, {
        detail: { batchKey: result.batchKey, status: result.status, received: result.received, accepted: result.accepted, replayed: result.replayed },
      });
      await audit.flush();
      res.status(result.status === 'REFUSED' ? 422 : 200).json(result);
    } catch (error) {
      if (error instanceof FeedTimeout) {
        log.warn({ agency, kind: kind.kind, reason: error.message }, 'bulk feed timed out');
        // the rest of the body is not read: the connection goes with the answer
        sendRouteError(res, 'REQUEST_TIMEOUT', `${error.message}; nothing was stored, send the batch again`, { headers: { connection: 'close' } });
        res.on('finish', () => req.destroy());
        return;
      }
      const refused = refusalOf(feedRefusal(error));
      if (refused) {
        sendRouteError(res, refused.code, refused.message, { field: refused.field });
        return;
      }
      log.error({ err: error, agency }, 'bulk feed failed');
      sendRouteError(res, 'INTERNAL_SERVER_ERROR', 'feed could not be stored; nothing was written');
    }
  };
}
