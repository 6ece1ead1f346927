// The WebSocket wiring on a small schema of its own: the gate admits the connection, ws-guard refuses
// what is not a subscription, and each event is audited, masked and shown without a fault's detail.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/caller.js';
import type { HubContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { Gate } from '../../src/http/authenticate.js';
import { serveSubscriptions } from '../../src/http/subscriptions.js';
import { createLogger } from '../../src/logger.js';

const ID = '11010519491231002X';

const schema = makeExecutableSchema({
  typeDefs: 'type Query { ok: Boolean } type Tick { residentId: String fail: String } type Subscription { ticks: Tick }',
  resolvers: {
    Subscription: {
      ticks: {
        subscribe: async function* () {
          yield { ticks: { residentId: ID } };
        },
      },
    },
    Tick: {
      fail: () => {
        throw new Error(`Failed query: select * from persons where resident_id = '${ID}'`);
      },
    },
  },
});

interface Outcome {
  next?: any;
  error?: any;
  closed?: number;
}

describe('subscriptions over WebSocket', () => {
  let database: Database;
  let authenticator: Authenticator;
  let server: http.Server;
  let url: string;
  let stop: () => Promise<void>;
  let flushes = 0;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    authenticator = new Authenticator(database.db, { secret: 'a-test-secret-of-at-least-32-characters', issuer: 'hub', audience: 'hub' });
    server = http.createServer();
    const gate = new Gate(authenticator, { perMinute: 100, failuresPerMinute: 100 }, createLogger('silent'));
    const contextFor = () => ({ audit: { flush: async () => void (flushes += 1) }, released: new Set(), log: createLogger('silent') }) as unknown as HubContext;
    const config = { NODE_ENV: 'test' as const, MAX_REQUEST_BYTES: 100_000, MAX_QUERY_TOKENS: 3000, WS_CREDENTIAL_CHECK_SECONDS: 30 };
    stop = serveSubscriptions({ httpServer: server, schema, rules: [], config, gate, contextFor, logger: createLogger('silent') });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await stop();
    await new Promise((resolve) => server.close(resolve));
    await database.close();
  });

  async function over(query: string, authorization: string | null): Promise<Outcome> {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    let closed: number | undefined;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: authorization ? { authorization } : {},
      on: { closed: (event) => void (closed = (event as { code: number }).code) },
    });
    const outcome = await new Promise<Outcome>((resolve) => {
      client.subscribe({ query }, { next: (next) => resolve({ next }), error: (error) => resolve({ error }), complete: () => resolve({}) });
      setTimeout(() => resolve({}), 1_500);
    });
    await client.dispose();
    return { ...outcome, ...(closed && !outcome.next ? { closed } : {}) };
  }
  const bearer = async () => `Bearer ${await authenticator.issue({ sub: 'admin@test', role: 'ADMIN' })}`;

  it('closes a connection without a valid credential', async () => {
    const outcome = await over('subscription { ticks { residentId } }', null);
    expect(outcome.next).toBeUndefined();
    expect(outcome.closed).toBe(4403);
  });

  it('sends an event audited first, resident IDs masked, a fault shown as INTERNAL_SERVER_ERROR only', async () => {
    const before = flushes;
    const { next } = await over('subscription { ticks { residentId fail } }', await bearer());
    expect(flushes).toBe(before + 1);
    expect(next.data).toEqual({ ticks: { residentId: '110105********002X', fail: null } });
    expect(next.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^internal error/), extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(JSON.stringify(next)).not.toContain(ID);
  });

  it('refuses a query: queries and mutations go over HTTP', async () => {
    const { error } = await over('{ ok }', await bearer());
    expect(error.map((e: any) => e.extensions.code)).toEqual(['BAD_REQUEST']);
  });
});
