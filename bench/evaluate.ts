// Qualification of every household: facts loaded in bulk (one query per table for 5,000 households
// at a time), the next two chunks' loading while the engine evaluates this one. On PostgreSQL the
// chunks are shared between THREADS worker threads, each with its own connection pool, as THREADS
// hub instances working the review queue share a sweep. Prints households per second for the whole
// run and for the engine alone.
// Usage: TEST_DATABASE_URL=postgres://… npm run bench:evaluate [-- 100000 [threads]]
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { asc, sql } from 'drizzle-orm';
import { connectors } from '../connectors/index.js';
import { createAgencyLoaders } from '../src/agency/loaders.js';
import { anyOf, openDatabase, type Database } from '../src/db/client.js';
import { households } from '../src/db/schema.js';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { feedAgencyRecords, generateDemoData, writeDemoData } from '../src/demo/generator.js';
import { evaluate } from '../src/policy/engine.js';
import { factsInBulk } from '../src/policy/facts.js';
import { ensurePolicies, parametersAsOf } from '../src/policy/service.js';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const today = '2026-11-23';
const CHUNK = 5_000;
/** chunks whose facts are loading while the engine evaluates the current one */
const AHEAD = 2;

interface Report {
  households: number;
  waitMs: number;
  engineMs: number;
  verdicts: Record<string, number>;
}

/** Evaluates the households of each chunk (household ids), the next AHEAD chunks' facts loading meanwhile. */
async function evaluateChunks(database: Database, chunks: number[][], ready: () => Promise<void>): Promise<Report> {
  const db = database.db;
  const params = await parametersAsOf(db, 'KC', today);
  const coverage = await createAgencyLoaders(db, connectors, {}).coverage(today);
  const rows = await Promise.all(chunks.map((ids) => db.select().from(households).where(anyOf(households.id, ids)).orderBy(asc(households.id))));
  await ready();
  const report: Report = { households: 0, waitMs: 0, engineMs: 0, verdicts: {} };
  const load = (i: number) => (i < rows.length ? factsInBulk(db, rows[i]!, today, coverage) : null);
  const inFlight = Array.from({ length: AHEAD }, (_, k) => load(k));
  for (let i = 0; i < rows.length; i++) {
    const t0 = performance.now();
    const facts = (await inFlight.shift())!;
    inFlight.push(load(i + AHEAD));
    const t1 = performance.now();
    for (const f of facts) {
      const v = evaluate(f, params).verdict;
      report.verdicts[v] = (report.verdicts[v] ?? 0) + 1;
    }
    report.households += facts.length;
    report.waitMs += t1 - t0;
    report.engineMs += performance.now() - t1;
  }
  return report;
}

if (!isMainThread) {
  const { url, chunks } = workerData as { url: string; chunks: number[][] };
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 5 });
  const go = new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
  const report = await evaluateChunks(database, chunks, async () => {
    parentPort!.postMessage('ready');
    await go;
  });
  await database.close();
  parentPort!.postMessage(report);
} else {
  const count = Number(process.argv[2] ?? 100_000);
  const database = await openTestDatabase(10);
  const threads = database.url ? Number(process.argv[3] ?? 2) : 1; // an embedded database lives in this thread only

  /**
   * The demo data, written and fed as agencies would, then the database brought to the steady state a
   * running hub is in (vacuumed, analysed, checkpointed), so that autovacuum and the checkpointer do
   * not run during the measurement. The generated data goes out of scope with this function.
   */
  async function setUp(): Promise<number> {
    const data = generateDemoData({ households: count, seed: 9, today });
    await writeDemoData(database, data);
    await feedAgencyRecords(database, generateAgencyRecords(data, 9, today), today);
    await ensurePolicies(database.db);
    await database.db.execute(sql`vacuum analyze`);
    await database.db.execute(sql`checkpoint`);
    return data.persons.length;
  }

  /** One worker thread per share of the chunks; resolves when all are ready, with a start signal and their reports. */
  async function startWorkers(shares: number[][][]) {
    const workers = shares.map(
      (chunks) =>
        // tsx registered inside the worker first, so that it can load this TypeScript file
        new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`, {
          eval: true,
          workerData: { url: database.url, chunks },
        }),
    );
    const reports = workers.map(
      (w) =>
        new Promise<Report>((resolve, reject) => {
          w.on('message', (m: Report | 'ready') => m !== 'ready' && resolve(m));
          w.on('error', reject);
        }),
    );
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => w.once('message', () => resolve()))));
    return { go: () => workers.forEach((w) => w.postMessage('go')), reports };
  }

  try {
    const s0 = performance.now();
    const persons = await setUp();
    const setupSeconds = (performance.now() - s0) / 1000;

    const ids = (await database.db.select({ id: households.id }).from(households).orderBy(asc(households.id))).map((h) => h.id);
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK));
    let reports: Report[];
    let w0: number;
    if (threads > 1) {
      const shares = Array.from({ length: threads }, (_, t) => chunks.filter((_, i) => i % threads === t));
      const workers = await startWorkers(shares);
      w0 = performance.now();
      workers.go();
      reports = await Promise.all(workers.reports);
    } else {
      w0 = 0;
      reports = [await evaluateChunks(database, chunks, async () => void (w0 = performance.now()))];
    }
    const seconds = (performance.now() - w0) / 1000;
    const sum = (f: (r: Report) => number) => reports.reduce((s, r) => s + f(r), 0);
    const verdicts: Record<string, number> = {};
    for (const r of reports) for (const [v, n] of Object.entries(r.verdicts)) verdicts[v] = (verdicts[v] ?? 0) + n;
    const engineSeconds = sum((r) => r.engineMs) / 1000;
    console.log(
      JSON.stringify({
        database: testDatabaseKind,
        households: sum((r) => r.households),
        persons,
        threads,
        setupSeconds: +setupSeconds.toFixed(1),
        seconds: +seconds.toFixed(2),
        householdsPerSecond: Math.round(sum((r) => r.households) / seconds),
        // summed over the threads
        waitingForFactsSeconds: +(sum((r) => r.waitMs) / 1000).toFixed(2),
        engineSeconds: +engineSeconds.toFixed(2),
        engineHouseholdsPerSecond: Math.round(sum((r) => r.households) / engineSeconds),
        verdicts,
      }),
    );
  } finally {
    await database.close();
  }
}
