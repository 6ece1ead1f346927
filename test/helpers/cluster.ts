// A PostgreSQL primary and a streaming replica of it, private to one test file: initdb into a temporary
// directory, pg_basebackup -R for the replica, each on a free port of 127.0.0.1. The system cluster
// allows no replication connections, so the primary is made here too (a second or so, 5 MB of WAL).
// PostgreSQL refuses to run as root: as root, the servers run as the `postgres` OS user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
/** why the cluster tests cannot run here, or null */
export const missingPgBinaries: string | null = ['initdb', 'pg_ctl', 'pg_basebackup'].every((b) => existsSync(join(PG_BIN, b)))
  ? null
  : `PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found in ${PG_BIN}; set PG_BIN`;

const asRoot = process.getuid?.() === 0;

/** runs a program as the OS user PostgreSQL runs as (postgres when we are root) */
export async function runAsPostgres(program: string, args: string[]): Promise<string> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  try {
    return (await run(file, argv, { maxBuffer: 1 << 20 })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: error });
  }
}

/** a temporary directory the postgres OS user may write */
export async function privateDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout);
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout);
    chownSync(dir, uid, gid);
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ReplicatedCluster {
  /** postgres://postgres@127.0.0.1:<port>/<database> on the primary */
  primaryUrl(database?: string): string;
  replicaUrl(database?: string): string;
  /** waits until the replica has replayed everything the primary has written so far */
  caughtUp(): Promise<void>;
  /** stops applying WAL on the replica (it keeps answering with what it has), and starts again */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** stops the replica (fast shutdown), and starts it again */
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** runs SQL on the primary or the replica */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(on: 'primary' | 'replica', text: string, database?: string): Promise<R[]>;
  stop(): Promise<void>;
}

const urlOf = (port: number, database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

async function startServer(dataDir: string, port: number, socketDir: string): Promise<void> {
  const options = [
    `-p ${port}`,
    `-k ${socketDir}`,
    '-c listen_addresses=127.0.0.1',
    // a test cluster: speed over durability
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c shared_buffers=32MB',
    '-c max_connections=100',
  ].join(' ');
  await runAsPostgres(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start']);
}

/** initdb + start a primary, pg_basebackup -R + start a replica: ~2-4 s */
export async function startReplicatedCluster(): Promise<ReplicatedCluster> {
  const dir = await privateDir('hub-cluster-');
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = async () => {
    for (const dataDir of started.reverse()) {
      await runAsPostgres(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // trust on 127.0.0.1, replication connections included (initdb's default pg_hba with -A trust)
    await runAsPostgres(join(PG_BIN, 'initdb'), ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await startServer(primaryDir, primaryPort, dir);
    started.push(primaryDir);
    await runAsPostgres(join(PG_BIN, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaDir,
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ]);
    await startServer(replicaDir, replicaPort, dir);
    started.push(replicaDir);
  } catch (error) {
    await stop();
    throw error;
  }
  const query = async <R extends pg.QueryResultRow>(on: 'primary' | 'replica', text: string, database?: string) => {
    const client = new pg.Client({ connectionString: urlOf(on === 'primary' ? primaryPort : replicaPort, database) });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    primaryUrl: (database) => urlOf(primaryPort, database),
    replicaUrl: (database) => urlOf(replicaPort, database),
    query,
    async caughtUp() {
      const [{ lsn }] = (await query<{ lsn: string }>('primary', 'select pg_current_wal_insert_lsn()::text as lsn')) as [{ lsn: string }];
      for (let i = 0; i < 300; i++) {
        const [row] = await query<{ behind: boolean }>('replica', `select coalesce(pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn, true) as behind`);
        if (!row!.behind) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the replica did not catch up within 6 s');
    },
    async stopReplica() {
      await runAsPostgres(join(PG_BIN, 'pg_ctl'), ['-D', replicaDir, '-m', 'fast', '-w', 'stop']);
    },
    async startReplica() {
      await startServer(replicaDir, replicaPort, dir);
    },
    async pauseReplay() {
      await query('replica', 'select pg_wal_replay_pause()');
    },
    async resumeReplay() {
      await query('replica', 'select pg_wal_replay_resume()');
    },
    stop,
  };
}
