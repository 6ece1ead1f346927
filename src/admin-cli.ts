// `npm run admin -- create-api-key --name "first admin"`: the first ADMIN key of a fresh install, made
// directly in the database (DATABASE_URL, or the PGlite folder DATA_DIR) before any token exists.
// The key alone goes to stdout, so it can be captured: KEY=$(npm run -s admin -- create-api-key --name …).
// On PGlite the hub must be stopped: one process at a time opens an embedded database.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { createApiKey } from './auth/api-keys.js';
import { AuditTrail } from './auth/audit.js';
import type { Caller } from './auth/caller.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { ensurePolicies } from './policy/service.js';

const USAGE = `usage: npm run admin -- create-api-key --name NAME [--expires YYYY-MM-DD]
  Makes an ADMIN API key in the database named by DATABASE_URL (or the PGlite folder DATA_DIR),
  migrating a fresh database first, and prints the key (shown once: only its hash is kept).`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function whoRuns(): string {
  try {
    return `admin-cli:${userInfo().username}`;
  } catch {
    return 'admin-cli';
  }
}

async function createKey(args: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { name: { type: 'string' }, expires: { type: 'string' } }, strict: true }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (!values.name?.trim()) fail(`--name is required\n${USAGE}`);
  let expiresAt: Date | null = null;
  if (values.expires !== undefined) {
    expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(values.expires) ? new Date(`${values.expires}T00:00:00Z`) : new Date(NaN);
    if (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date()) fail('--expires must be a future date YYYY-MM-DD');
  }

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
  const database = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: 2, migrationUrl: config.DATABASE_MIGRATION_URL }
      : { kind: 'pglite', dataDir: config.DATA_DIR },
  );
  try {
    // a fresh install may run this before the hub ever started: the same migrations the hub runs
    await database.migrate();
    await ensurePolicies(database.db);
    const by = whoRuns();
    const { key, apiKey } = await createApiKey(database.db, { name: values.name.trim(), role: 'ADMIN', expiresAt }, by);
    const caller: Caller = { id: by, role: 'ADMIN', districts: null, agency: null };
    const audit = new AuditTrail(database.db, `cli-${randomUUID()}`, caller, null);
    audit.record('createApiKey', { detail: { name: apiKey.name, role: apiKey.role, prefix: apiKey.prefix, via: 'admin-cli' } });
    await audit.flush();
    process.stdout.write(`${key}\n`);
    console.error(
      `ADMIN API key "${apiKey.name}" (prefix ${apiKey.prefix}) made in ${database.kind === 'postgres' ? 'PostgreSQL' : `PGlite ${config.DATA_DIR}`}.` +
        ' It is shown once; send it as "Authorization: Bearer <key>". Revoke it with revokeApiKey once personal keys exist.',
    );
  } catch (error) {
    if (error instanceof GraphQLError) fail(error.message, 1);
    throw error;
  } finally {
    await database.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'create-api-key') await createKey(rest);
else if (command === '--help' || command === 'help') process.stdout.write(`${USAGE}\n`);
else fail(command ? `unknown command ${command}\n${USAGE}` : USAGE);
