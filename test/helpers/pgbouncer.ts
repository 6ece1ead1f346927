// pgbouncer (Debian's package) in transaction mode in front of a PostgreSQL server, private to one test
// file: its own ini in a temporary directory, a free port of 127.0.0.1, trust authentication. It
// refuses to run as root: as root it runs as the `postgres` OS user, like the servers in cluster.ts.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, privateDir, runAsPostgres } from './cluster.js';

export const PGBOUNCER = process.env['PGBOUNCER'] ?? '/usr/sbin/pgbouncer';
export const missingPgbouncer: string | null = existsSync(PGBOUNCER) ? null : `pgbouncer not found at ${PGBOUNCER} (apt-get install pgbouncer); set PGBOUNCER`;

export interface Bouncer {
  /** the URL of `database` through pgbouncer */
  url(database: string): string;
  /** pgbouncer's SHOW STATS for `database`: transactions and statements it passed on (refreshed each second) */
  stats(database: string): Promise<{ transactions: number; queries: number }>;
  stop(): Promise<void>;
}

/** pgbouncer in transaction mode in front of `server` (host:port), every database, as user postgres */
export async function startPgbouncer(server: { host: string; port: number }): Promise<Bouncer> {
  const dir = await privateDir('hub-pgbouncer-');
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const pidFile = join(dir, 'pgbouncer.pid');
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      'default_pool_size = 10',
      // SHOW STATS totals are refreshed this often (seconds)
      'stats_period = 1',
      'max_client_conn = 200',
      // the hub's pool sends `options` (random_page_cost) at startup; pgbouncer refuses unknown ones
      'ignore_startup_parameters = extra_float_digits,options',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${pidFile}`,
      '',
    ].join('\n'),
  );
  await runAsPostgres(PGBOUNCER, ['-d', ini]);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  for (let i = 0; ; i++) {
    const client = new pg.Client({ connectionString: url('pgbouncer') });
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      if (i > 100) throw new Error(`pgbouncer did not start: ${String(error)}\n${readFileSync(join(dir, 'pgbouncer.log'), 'utf8')}`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    async stats(database) {
      // the admin console speaks the simple protocol only
      const client = new pg.Client({ connectionString: url('pgbouncer') });
      await client.connect();
      try {
        const rows = (await client.query<{ database: string; total_xact_count: string; total_query_count: string }>('SHOW STATS')).rows;
        const row = rows.find((r) => r.database === database);
        return { transactions: Number(row?.total_xact_count ?? 0), queries: Number(row?.total_query_count ?? 0) };
      } finally {
        await client.end();
      }
    },
    async stop() {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (pid > 0) {
        process.kill(pid, 'SIGTERM');
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
