// Policy as data at start-up: a threshold a detection rule reads that the policy lacks stops the hub,
// naming the policy and the code, instead of alerting on a number nobody set.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createHub } from '../src/server.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ bare: true });
});
afterAll(async () => {
  await t?.close();
});

describe("the hub checks the detection rules' parameters when it starts", () => {
  it('starts with the shipped policies, and refuses to once a parameter a rule reads is gone', async () => {
    await t.database.db.execute(sql`delete from policy_parameters where policy_id = 'KC' and code = 'VACANCY.GAS_MAX'`);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' });
    await expect(createHub({ config, database: t.database, logger: createLogger('silent'), clock: () => new Date('2026-11-23T09:00:00') })).rejects.toThrow(
      /policy KC has no value in force on 2026-11-23 for VACANCY\.GAS_MAX, which detection rule\(s\) VACANCY_WARNING, VACANCY_EXIT read/,
    );
  });
});
