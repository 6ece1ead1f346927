// Issue 13(1): what holds over HTTP holds over WebSocket. The graphql-ws endpoint carries
// subscriptions only, under the same validation rules, rate limit and size limit as HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';

interface Outcome {
  error?: unknown;
  next?: unknown;
  closed?: { code: number; reason: string };
}

async function over(t: TestHub, query: string, authorization?: string): Promise<Outcome> {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  let closed: Outcome['closed'];
  const client = createClient({
    url: t.url.replace('http://', 'ws://'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: authorization ?? (await t.adminAuth()) },
    on: { closed: (event) => void (closed = { code: (event as { code: number }).code, reason: (event as { reason: string }).reason }) },
  });
  const outcome = await new Promise<Outcome>((resolve) => {
    client.subscribe({ query }, { next: (next) => resolve({ next }), error: (error) => resolve({ error }), complete: () => resolve({}) });
    setTimeout(() => resolve({}), 1_500); // still open: subscribed
  });
  await client.dispose();
  return { ...outcome, ...(closed && !outcome.next ? { closed } : {}) };
}

const codes = (o: Outcome) => (Array.isArray(o.error) ? o.error.map((e: { extensions?: { code?: string } }) => e.extensions?.code) : []);

describe('the WebSocket endpoint', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a query or a mutation: they go over HTTP', async () => {
    const query = await over(t, '{ districts { id } }');
    expect(query.next).toBeUndefined();
    expect(codes(query)).toEqual(['BAD_REQUEST']);
    const mutation = await over(t, 'mutation { startReview(kind: DAILY) { id } }');
    expect(codes(mutation)).toEqual(['BAD_REQUEST']);
  });

  it('keeps a subscription within the limits open', async () => {
    expect(await over(t, 'subscription { alertRaised { id rule } }')).toEqual({});
  });

  it('refuses too many aliases and too deep a selection with the same errors as HTTP', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: id`).join(' ');
    const deep = 'household { members { household { members { household { members { household { members { household { id } } } } } } } } }';
    for (const [selection, limit] of [
      [aliases, /aliases limit of 15/i],
      [deep, /depth limit of 10/i],
    ] as const) {
      const ws = await over(t, `subscription { alertRaised { ${selection} } }`);
      const http = await t.gql(`{ alerts(first: 1) { nodes { ${selection} } } }`);
      expect(ws.next).toBeUndefined();
      expect(http.body.errors?.length).toBeGreaterThan(0);
      expect(codes(ws)).toEqual(http.body.errors!.map((e) => e.extensions?.['code']));
      expect((ws.error as { message: string }[])[0]!.message).toMatch(limit);
      expect(http.body.errors![0]!.message).toMatch(limit);
    }
  });

  it('refuses a document over the token limit, and a syntax error, as client errors (HTTP 400) on both transports', async () => {
    const tokens = `subscription { alertRaised { ${'id '.repeat(3_000)} } }`;
    const ws = await over(t, tokens);
    expect(codes(ws)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect((ws.error as { message: string }[])[0]!.message).toMatch(/more that 3000 tokens/);
    const http = await t.gql(`{ alerts(first: 1) { nodes { ${'id '.repeat(3_000)} } } }`);
    expect(http.status).toBe(400);
    expect(http.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    const broken = await t.gql('{ me { id }');
    expect(broken.status).toBe(400);
    expect(broken.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(codes(await over(t, 'subscription { alertRaised { id }'))).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('closes the socket on a message larger than MAX_REQUEST_BYTES', async () => {
    const padding = ' '.repeat(200_000);
    const outcome = await over(t, `subscription { alertRaised { id ${padding} } }`);
    expect(outcome.next).toBeUndefined();
    expect(outcome.closed?.code ?? 0).toBe(1009); // ws: message too big
  });
});

describe('the rate limit spans both transports', () => {
  let t: TestHub;
  afterAll(async () => {
    await t?.close();
  });

  it('counts each WebSocket operation against the token’s budget, shared with HTTP', async () => {
    t = await startTestHub({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    const caller = t.as({ sub: 'ws-limited', role: 'MANAGER' });
    const authorization = `Bearer ${await caller.token}`;
    expect((await caller.gql('{ districts { id } }')).status).toBe(200); // 1 over HTTP
    expect(await over(t, 'subscription { alertRaised { id } }', authorization)).toEqual({}); // 2
    expect(await over(t, 'subscription { alertRaised { id } }', authorization)).toEqual({}); // 3
    expect(codes(await over(t, 'subscription { alertRaised { id } }', authorization))).toEqual(['RATE_LIMITED']);
    expect((await caller.gql('{ districts { id } }')).status).toBe(429);
  });
});

describe('in production', () => {
  let t: TestHub;
  afterAll(async () => {
    await t?.close();
  });

  it('answers no introspection over WebSocket either', async () => {
    t = await startTestHub({ env: { NODE_ENV: 'production', AUTH_JWT_SECRET: TEST_JWT_SECRET } });
    const outcome = await over(t, 'subscription { alertRaised { id __type(name: "Household") { fields { name } } } }');
    expect(outcome.next).toBeUndefined();
    expect(codes(outcome)).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
