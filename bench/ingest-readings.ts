// Ingest 1,000,000 monthly utility readings from a file through the hub's bulk feed endpoint, and
// the same rows by a plain COPY into a bare table as the ceiling, in the same run.
// Usage: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:ingest [-- 1000000]
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createHub } from '../src/server.js';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const total = Number(process.argv[2] ?? 1_000_000);
const KINDS = [
  ['WATER', 'm3'],
  ['ELECTRICITY', 'kWh'],
  ['GAS', 'm3'],
] as const;

function* readings() {
  let n = 0;
  for (let unitId = 1; ; unitId++) {
    for (let m = 1; m <= 12; m++) {
      for (const [kind, unit] of KINDS) {
        if (n++ >= total) return;
        yield { unitId, month: `2025-${String(m).padStart(2, '0')}`, kind, quantity: (unitId * 7 + m * 3) % 250, unit };
      }
    }
  }
}

async function writeFiles(ndjson: string, csv: string) {
  const a = createWriteStream(ndjson);
  const b = createWriteStream(csv);
  let bufA = '';
  let bufB = '';
  for (const r of readings()) {
    bufA += JSON.stringify(r) + '\n';
    bufB += `${r.unitId},${r.month}-01,${r.kind},${r.quantity},${r.unit}\n`;
    if (bufA.length > 1 << 20) {
      if (!a.write(bufA)) await new Promise<void>((r) => a.once('drain', () => r()));
      if (!b.write(bufB)) await new Promise<void>((r) => b.once('drain', () => r()));
      bufA = bufB = '';
    }
  }
  a.end(bufA);
  b.end(bufB);
  await Promise.all([finished(a), finished(b)]);
}

/** The CSV file in whole lines (BulkSession.copy takes whole lines), in large chunks. */
async function* csvChunks(transform: (chunk: string) => string = (c) => c): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(csvFile, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    if (cut > 0) yield transform(text.slice(0, cut));
  }
  if (rest) yield transform(rest + '\n');
}

const ndjsonFile = join(tmpdir(), `readings-${total}.ndjson`);
const csvFile = join(tmpdir(), `readings-${total}.csv`);
await writeFiles(ndjsonFile, csvFile);

const database = await openTestDatabase();
const hub = await createHub({ config: loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' }), database, logger: createLogger('silent') });
const url = await hub.listen(0, '127.0.0.1');
const authorization = `Bearer ${await hub.authenticator.issue({ sub: 'bench-utilities', role: 'AGENCY', agency: 'utilities' })}`;
try {
  // ceiling: the same rows, plain COPY into a bare table with no keys, checks or indexes
  await database.bulk((s) => s.query('create table bare_readings (unit_id integer, month date, kind text, quantity numeric, unit text)'));
  const c0 = performance.now();
  await database.bulk((s) => s.copy('bare_readings', ['unit_id', 'month', 'kind', 'quantity', 'unit'], csvChunks()));
  const copySeconds = (performance.now() - c0) / 1000;

  // the floor any keyed load pays: the same COPY into a table with ut_readings' own key
  await database.bulk((s) => s.query('create table keyed_readings (like ut_readings including all)'));
  const k0 = performance.now();
  await database.bulk((s) =>
    s.copy('keyed_readings', ['unit_id', 'month', 'kind', 'quantity', 'unit', 'as_of', 'batch_id'], csvChunks((c) => c.replaceAll('\n', ',2026-11-01,1\n'))),
  );
  const keyedSeconds = (performance.now() - k0) / 1000;

  // the same COPY into a table with ut_readings' columns and defaults but no index, its key built
  // afterwards in one sort: the cheapest way any load can end with the table keyed
  await database.bulk((s) => s.query('create table indexed_after (like ut_readings including defaults)'));
  const i0 = performance.now();
  await database.bulk(async (s) => {
    await s.copy('indexed_after', ['unit_id', 'month', 'kind', 'quantity', 'unit', 'as_of', 'batch_id'], csvChunks((c) => c.replaceAll('\n', ',2026-11-01,1\n')));
    await s.query('alter table indexed_after add primary key (unit_id, kind, month)');
  });
  const indexedAfterSeconds = (performance.now() - i0) / 1000;

  const h0 = performance.now();
  const res = await fetch(url.replace('/graphql', `/feeds/utilities/reading?batchKey=bench-${total}`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization },
    body: Readable.toWeb(createReadStream(ndjsonFile)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const result = (await res.json()) as { accepted: number; rejected: number; inserted: number };
  const hubSeconds = (performance.now() - h0) / 1000;

  const r0 = performance.now();
  const replay = (await (
    await fetch(url.replace('/graphql', `/feeds/utilities/reading?batchKey=bench-${total}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization },
      body: Readable.toWeb(createReadStream(ndjsonFile)) as ReadableStream,
      duplex: 'half',
    } as RequestInit)
  ).json()) as { replayed: boolean };
  const replaySeconds = (performance.now() - r0) / 1000;

  console.log(
    JSON.stringify({
      database: testDatabaseKind,
      readings: total,
      hub: { seconds: +hubSeconds.toFixed(2), rowsPerSecond: Math.round(total / hubSeconds), accepted: result.accepted, rejected: result.rejected, inserted: result.inserted },
      plainCopy: { seconds: +copySeconds.toFixed(2), rowsPerSecond: Math.round(total / copySeconds) },
      hubShareOfCopyRate: +(copySeconds / hubSeconds).toFixed(2),
      copyIntoKeyedTable: { seconds: +keyedSeconds.toFixed(2), rowsPerSecond: Math.round(total / keyedSeconds), shareOfCopyRate: +(copySeconds / keyedSeconds).toFixed(2) },
      copyThenBuildKeys: { seconds: +indexedAfterSeconds.toFixed(2), rowsPerSecond: Math.round(total / indexedAfterSeconds), shareOfCopyRate: +(copySeconds / indexedAfterSeconds).toFixed(2) },
      replay: { seconds: +replaySeconds.toFixed(2), replayed: replay.replayed },
    }),
  );
} finally {
  await hub.stop();
  await database.close();
}
