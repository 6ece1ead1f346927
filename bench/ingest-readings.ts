// Ingest 1,000,000 monthly utility readings from a file through the hub's bulk feed endpoint, and
// the same rows by a plain COPY into a bare table as the ceiling, in the same run. Then a second
// file, the next year's readings, into the table now holding the first, then sent again: how a feed fares as the
// table grows.
// Usage: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:ingest [-- 1000000 [years]]
// `years` (default 0) more years of the same units' readings are put into the table by SQL before the
// next year's feed, as after that many years of service. That feed is then sent again under a new key.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { reading } from '../connectors/utilities/index.js';
import { loadConfig } from '../src/config.js';
import { csvRowOf } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { ensurePolicies } from '../src/policy/service.js';
import { createHub } from '../src/server.js';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const total = Number(process.argv[2] ?? 1_000_000);
const earlierYears = Number(process.argv[3] ?? 0);
const KINDS = [
  ['WATER', 'm3'],
  ['ELECTRICITY', 'kWh'],
  ['GAS', 'm3'],
] as const;

function* readings(year: number) {
  let n = 0;
  for (let unitId = 1; ; unitId++) {
    for (let m = 1; m <= 12; m++) {
      for (const [kind, unit] of KINDS) {
        if (n++ >= total) return;
        yield { unitId, month: `${year}-${String(m).padStart(2, '0')}`, kind, quantity: (unitId * 7 + m * 3) % 250, unit };
      }
    }
  }
}

type Reading = ReturnType<typeof readings> extends Generator<infer R> ? R : never;

async function writeFile(path: string, year: number, line: (r: Reading) => string) {
  const out = createWriteStream(path);
  let buffer = '';
  for (const r of readings(year)) {
    buffer += line(r);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await finished(out);
}

const asNdjson = (r: Reading) => JSON.stringify(r) + '\n';
const asCsv = (r: Reading) => `${r.unitId},${r.month}-01,${r.kind},${r.quantity},${r.unit}\n`;

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
const nextYearFile = join(tmpdir(), `readings-${total}-next-year.ndjson`);
await writeFile(ndjsonFile, 2025, asNdjson);
await writeFile(csvFile, 2025, asCsv);
await writeFile(nextYearFile, 2026, asNdjson);

const database = await openTestDatabase();
await ensurePolicies(database.db);
// the months' partitions of ut_readings exist, as the job queue makes them ahead of the readings
// (README, "Partitioned readings"); --default-partition leaves every reading to the default one
if (!process.argv.includes('--default-partition')) {
  await database.bulk((s) =>
    s.query(`select ut_readings_month_partition(m::date) from generate_series('${2025 - earlierYears}-01-01'::date, '2026-12-01'::date, '1 month') m`),
  );
}
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
    s.copy(
      'keyed_readings',
      ['unit_id', 'month', 'kind', 'quantity', 'unit', 'as_of', 'batch_id'],
      csvChunks((c) => c.replaceAll('\n', ',2026-11-01,1\n')),
    ),
  );
  const keyedSeconds = (performance.now() - k0) / 1000;

  // the same COPY into a table with ut_readings' columns and defaults but no index, its key built
  // afterwards in one sort: the cheapest way any load can end with the table keyed
  await database.bulk((s) => s.query('create table indexed_after (like ut_readings including defaults)'));
  const i0 = performance.now();
  await database.bulk(async (s) => {
    await s.copy(
      'indexed_after',
      ['unit_id', 'month', 'kind', 'quantity', 'unit', 'as_of', 'batch_id'],
      csvChunks((c) => c.replaceAll('\n', ',2026-11-01,1\n')),
    );
    await s.query('alter table indexed_after add primary key (unit_id, kind, month)');
  });
  const indexedAfterSeconds = (performance.now() - i0) / 1000;

  // the least any load that validates its records can do: the NDJSON parsed and validated with the
  // connector's schema, streamed by COPY straight into an unindexed table, the key built afterwards.
  // No HTTP, stage, merge or history; a bound on what any design could reach on this machine
  await database.bulk((s) => s.query('create table validated_readings (like ut_readings including defaults)'));
  const row = csvRowOf(['unitId', 'month', 'kind', 'quantity', 'unit'], 2);
  async function* validatedCsv(): AsyncGenerator<string> {
    let rest = '';
    for await (const chunk of createReadStream(ndjsonFile, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop()!;
      let csv = '';
      for (const line of lines) {
        const parsed = reading.schema.safeParse(JSON.parse(line));
        if (parsed.success) csv += row(parsed.data, parsed.data.month, 1);
      }
      yield csv;
    }
  }
  const v0 = performance.now();
  const validated = await database.bulk(async (s) => {
    const rows = await s.copy('validated_readings', ['unit_id', 'month', 'kind', 'quantity', 'unit', 'as_of', 'batch_id'], validatedCsv());
    await s.query('alter table validated_readings add primary key (unit_id, kind, month)');
    return rows;
  });
  if (validated !== total) throw new Error(`the validated COPY loaded ${validated} of ${total} readings`);
  const validatedSeconds = (performance.now() - v0) / 1000;

  const feed = async (file: string, batchKey: string) =>
    (await (
      await fetch(url.replace('/graphql', `/feeds/utilities/reading?batchKey=${batchKey}`), {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit)
    ).json()) as { accepted: number; rejected: number; inserted: number; replayed: boolean };

  const h0 = performance.now();
  const result = await feed(ndjsonFile, `bench-${total}`);
  const hubSeconds = (performance.now() - h0) / 1000;

  if (earlierYears > 0) {
    await database.bulk((s) =>
      s.query(
        `insert into ut_readings (unit_id, month, kind, quantity, unit, as_of, batch_id)
         select u, m::date, k, (u * 7) % 250, case when k = 'ELECTRICITY' then 'kWh' else 'm3' end, m::date, (select min(id) from feed_batches)
         from generate_series(1, ${Math.ceil(total / 36)}) u, generate_series('${2025 - earlierYears}-01-01'::date, '2024-12-01'::date, '1 month') m,
              unnest(enum_range(null::utility_kind)) k`,
      ),
    );
    await database.bulk((s) => s.query('analyze ut_readings'));
  }
  const [{ rows } = { rows: 0 }] = await database.bulk((s) => s.query<{ rows: number }>('select count(*)::integer as rows from ut_readings'));

  const n0 = performance.now();
  const nextYear = await feed(nextYearFile, `bench-${total}-next-year`);
  const nextYearSeconds = (performance.now() - n0) / 1000;

  // agencies often send a whole extract again under a new key: every key known, nothing changed
  const u0 = performance.now();
  const resent = await feed(nextYearFile, `bench-${total}-next-year-again`);
  const resentSeconds = (performance.now() - u0) / 1000;

  const r0 = performance.now();
  const replay = await feed(ndjsonFile, `bench-${total}`);
  const replaySeconds = (performance.now() - r0) / 1000;

  console.log(
    JSON.stringify({
      database: testDatabaseKind,
      readings: total,
      hub: {
        seconds: +hubSeconds.toFixed(2),
        rowsPerSecond: Math.round(total / hubSeconds),
        accepted: result.accepted,
        rejected: result.rejected,
        inserted: result.inserted,
      },
      plainCopy: { seconds: +copySeconds.toFixed(2), rowsPerSecond: Math.round(total / copySeconds) },
      hubShareOfCopyRate: +(copySeconds / hubSeconds).toFixed(2),
      copyIntoKeyedTable: {
        seconds: +keyedSeconds.toFixed(2),
        rowsPerSecond: Math.round(total / keyedSeconds),
        shareOfCopyRate: +(copySeconds / keyedSeconds).toFixed(2),
      },
      copyThenBuildKeys: {
        seconds: +indexedAfterSeconds.toFixed(2),
        rowsPerSecond: Math.round(total / indexedAfterSeconds),
        shareOfCopyRate: +(copySeconds / indexedAfterSeconds).toFixed(2),
      },
      validatedCopyThenBuildKeys: {
        seconds: +validatedSeconds.toFixed(2),
        rowsPerSecond: Math.round(total / validatedSeconds),
        shareOfCopyRate: +(copySeconds / validatedSeconds).toFixed(2),
      },
      hubNextYearIntoLoadedTable: {
        tableRowsBefore: rows,
        seconds: +nextYearSeconds.toFixed(2),
        rowsPerSecond: Math.round(total / nextYearSeconds),
        inserted: nextYear.inserted,
      },
      nextYearResentUnderNewKey: { seconds: +resentSeconds.toFixed(2), rowsPerSecond: Math.round(total / resentSeconds), inserted: resent.inserted },
      replay: { seconds: +replaySeconds.toFixed(2), replayed: replay.replayed },
    }),
  );
} finally {
  await hub.stop();
  await database.close();
}
