// The gate on a real Authenticator: JWTs need no database; API keys are looked up in one, here an
// embedded database without the hub's tables, so the lookup fails as it would with the database down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/caller.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { Gate, type GateLimits } from '../../src/http/authenticate.js';
import { requestId } from '../../src/http/request-id.js';
import { createLogger } from '../../src/logger.js';
import { serve, type Served } from './serve.js';

const API_KEY = `hub_abcdefghijkl_${'A'.repeat(43)}`;

describe('gate: authentication and limits', () => {
  let database: Database;
  let authenticator: Authenticator;
  const served: Served[] = [];
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    authenticator = new Authenticator(database.db, { secret: 'a-test-secret-of-at-least-32-characters', issuer: 'hub', audience: 'hub' });
  });
  afterAll(async () => {
    await Promise.all(served.map((s) => s.close()));
    await database.close();
  });

  /** a route behind a gate of its own (fresh limits), answering the caller it let in */
  async function gated(limits: GateLimits = { perMinute: 100, failuresPerMinute: 100 }) {
    const gate = new Gate(authenticator, limits, createLogger('silent'));
    const s = await serve((app) => app.get('/', requestId, gate.middleware, (_req, res) => res.json({ caller: res.locals['caller'] })));
    served.push(s);
    return async (authorization?: string) => {
      const res = await fetch(s.url, { headers: authorization ? { authorization } : {} });
      return { status: res.status, headers: res.headers, body: (await res.json()) as any };
    };
  }
  const bearer = async () => `Bearer ${await authenticator.issue({ sub: 'cw@test', role: 'CASEWORKER', districts: ['KC-KCZ'] })}`;

  it('lets in a valid token and hands its caller on', async () => {
    const ask = await gated();
    const res = await ask(await bearer());
    expect(res.status).toBe(200);
    expect(res.body.caller).toEqual({ id: 'cw@test', role: 'CASEWORKER', districts: ['KC-KCZ'], agency: null });
  });

  it('refuses a token once it has expired, though it was let in before (verified tokens are kept only until their exp)', async () => {
    const ask = await gated();
    // at least a whole second ahead (exp is in whole seconds): the first two asks meet a good token
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = `Bearer ${await authenticator.issue({ sub: 'short@test', role: 'MANAGER' }, exp)}`;
    expect((await ask(token)).status).toBe(200);
    expect((await ask(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const late = await ask(token);
    expect(late.status).toBe(401);
    expect(late.body.errors[0].message).toMatch(/expired/);
  });

  it('answers 401 UNAUTHENTICATED with www-authenticate to no token or a bad one', async () => {
    const ask = await gated();
    for (const authorization of [undefined, 'Bearer not-a-jwt']) {
      const res = await ask(authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^not authenticated: /), extensions: { code: 'UNAUTHENTICATED' } });
    }
  });

  it("answers 429 RATE_LIMITED with retry-after once a caller's requests a minute are spent", async () => {
    const ask = await gated({ perMinute: 2, failuresPerMinute: 100 });
    const token = await bearer();
    expect((await ask(token)).status).toBe(200);
    expect((await ask(token)).status).toBe(200);
    const over = await ask(token);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.body.errors[0]).toMatchObject({ message: expect.stringContaining('at most 2 requests a minute'), extensions: { code: 'RATE_LIMITED' } });
  });

  it('turns an address away without a lookup once it showed too many refused credentials, even with a good one', async () => {
    const ask = await gated({ perMinute: 100, failuresPerMinute: 2 });
    expect((await ask('Bearer wrong-1')).status).toBe(401);
    expect((await ask('Bearer wrong-2')).status).toBe(401);
    const blocked = await ask(await bearer());
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.errors[0]).toMatchObject({ message: expect.stringContaining('too many refused credentials'), extensions: { code: 'RATE_LIMITED' } });
  });

  it('answers 503 SERVICE_UNAVAILABLE with retry-after when an API key cannot be looked up, and does not count it as refused', async () => {
    const ask = await gated({ perMinute: 100, failuresPerMinute: 1 });
    for (let i = 0; i < 2; i++) {
      const res = await ask(`Bearer ${API_KEY}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    }
    expect((await ask(await bearer())).status).toBe(200);
  });

  it('admits WebSocket connections by the same rules (admit) and counts their operations (overLimit)', async () => {
    const gate = new Gate(authenticator, { perMinute: 1, failuresPerMinute: 1 }, createLogger('silent'));
    const admitted = await gate.admit('10.0.0.1', await bearer());
    expect(admitted).toMatchObject({ caller: { id: 'cw@test' } });
    if (!('caller' in admitted)) throw new Error('not admitted');
    expect(await gate.overLimit(admitted.caller)).toBeNull();
    expect(await gate.overLimit(admitted.caller)).toMatchObject({ refused: 'RATE_LIMITED' });
    expect(await gate.admit('10.0.0.2', 'Bearer wrong')).toMatchObject({ refused: 'UNAUTHENTICATED' });
    expect(await gate.admit('10.0.0.2', await bearer())).toMatchObject({ refused: 'RATE_LIMITED' });
    expect(await gate.admit('10.0.0.3', await bearer())).toHaveProperty('caller');
  });
});
