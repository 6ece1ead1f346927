// The audit entry is durable before the answer leaves: on a real database the row is there when the
// hook returns; where it cannot be written (a database without the audit table), no data is answered.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../src/auth/audit.js';
import { openDatabase, selectRows, type Database } from '../../src/db/client.js';
import { auditPlugin } from '../../src/http/audit.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { answerOf, runPlugin } from './plugins.js';

const caller = { id: 'admin@test', role: 'ADMIN' as const, districts: null, agency: null };

describe('audit before the answer', () => {
  let database: Database;
  let broken: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    broken = await openDatabase({ kind: 'pglite' });
  });
  afterAll(async () => {
    await database.close();
    await broken.close();
  });

  const trail = (db: Database, requestId: string) => {
    const audit = new AuditTrail(db.db, requestId, caller, null);
    audit.record('test:answered');
    return audit;
  };

  it('writes what the request did before the answer goes, and leaves the answer as it was', async () => {
    const answer = await runPlugin(auditPlugin(), { audit: trail(database, 'req-audit-1'), log: createLogger('silent') }, answerOf({ ok: 1 }));
    const rows = await selectRows<{ action: string }>(database.db, sql`select action from audit_log where request_id = 'req-audit-1'`);
    expect(rows).toEqual([{ action: 'test:answered' }]);
    expect(answer.http.status).toBeUndefined();
    expect(answer.body.singleResult).toEqual({ data: { ok: 1 } });
  });

  it('withholds the data with 503 AUDIT_UNAVAILABLE when the entry cannot be written', async () => {
    const answer = await runPlugin(auditPlugin(), { audit: trail(broken, 'req-audit-2'), log: createLogger('silent') }, answerOf({ secret: 'data' }));
    expect(answer.http.status).toBe(503);
    expect(answer.body.singleResult.data).toBeNull();
    expect(answer.body.singleResult.errors).toEqual([expect.objectContaining({ extensions: { code: 'AUDIT_UNAVAILABLE' } })]);
  });
});
