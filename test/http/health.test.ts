import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/http/health.js';
import { createLogger } from '../../src/logger.js';
import { serve, type Served } from './serve.js';

describe('health', () => {
  let reachable = true;
  let served: Served;
  beforeAll(async () => {
    const database = {
      kind: 'pglite' as const,
      ping: async () => {
        if (!reachable) throw new Error('connection refused');
      },
    };
    served = await serve((app) => app.use(healthRoutes(database, createLogger('silent'))));
  });
  afterAll(() => served.close());

  it('/healthz answers while the process runs, whatever the database', async () => {
    reachable = false;
    const res = await fetch(`${served.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is ready while the database answers, 503 when its ping fails', async () => {
    reachable = true;
    const ready = await fetch(`${served.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', database: 'pglite' }]);
    reachable = false;
    const down = await fetch(`${served.url}/readyz`);
    expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable', database: 'pglite' }]);
  });
});
