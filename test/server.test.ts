import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from './helpers/db.js';
import { openTestDatabase } from './helpers/db.js';
import { startTestHub } from './helpers/hub.js';

interface Running {
  url: string;
  /** the demo MANAGER token the banner printed */
  token: string;
  output: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts the hub the way `npm start` does, as its own process. */
function startHubProcess(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /ready at (http:\S+)/.exec(output);
      const token = /^ {2}MANAGER\s+(\S+)$/m.exec(output);
      if (match && token) {
        resolve({
          url: match[1]!,
          token: token[1]!,
          output: () => output,
          exited,
          async stop() {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`hub exited with ${code} before it was ready:\n${output}`)));
  });
}

async function query(hub: Running, q: string) {
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.token}` },
    body: JSON.stringify({ query: q }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

describe('npm start', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  // the first start writes 200 demo households through the API: ~30 s on two loaded cores
  it('serves the demo data on an embedded database kept between runs, and stops cleanly on SIGTERM', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'));
    dirs.push(dataDir);
    const first = await startHubProcess({ DATA_DIR: dataDir });
    const health = await fetch(first.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    const ready = await fetch(first.url.replace('/graphql', '/readyz'));
    expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite' });
    const res = await query(first, '{ households(first: 5) { totalCount nodes { id members { residentId } } } }');
    expect(res.data.households.totalCount).toBe(200);
    expect(first.output()).not.toMatch(/\d{17}[\dX]/); // no full resident ID in any log line
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('stopped cleanly');

    const second = await startHubProcess({ DATA_DIR: dataDir });
    const again = await query(second, '{ households(first: 5) { totalCount nodes { id members { residentId } } } }');
    expect(again.data).toEqual(res.data);
    expect(second.output()).not.toContain('demo data written');
    expect(await second.stop()).toBe(0);
  });

  it.runIf(testDatabaseUrl)('serves the same query on PostgreSQL when DATABASE_URL is set', async () => {
    const database = await openTestDatabase();
    try {
      const hub = await startHubProcess({ DATABASE_URL: database.url!, DEMO_HOUSEHOLDS: '40' });
      const res = await query(hub, '{ households(first: 5) { totalCount } }');
      expect(res.data.households.totalCount).toBe(40);
      const ready = await fetch(hub.url.replace('/graphql', '/readyz'));
      expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' });
      expect(await hub.stop()).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('refuses to start on a bad setting, naming it', async () => {
    await expect(startHubProcess({ PORT: 'eighty' })).rejects.toThrow(/exited with 1[\s\S]*PORT/);
  });
});

describe('readiness', () => {
  it('answers 503 when the database cannot be reached', async () => {
    const t = await startTestHub();
    const base = t.url.replace('/graphql', '');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await t.database.close();
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    await t.hub.stop();
  });
});
