// Item 4 of #13: a subscription lives no longer than its credential. A JWT's socket closes when the
// token expires; a revoked API key's socket gets no further alert and is closed, with or without an event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceAlerts } from '../src/detection/bus.js';
import { alerts } from '../src/detection/tables.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { buildHousehold } from './helpers/scenario.js';

let t: TestHub;
let householdId: number;
let raised = 0;

beforeAll(async () => {
  t = await startTestHub({ env: { WS_CREDENTIAL_CHECK_SECONDS: '1' } });
  householdId = Number(await buildHousehold(t, {}));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** a new alert, announced as detection does */
async function raiseAlert(): Promise<number> {
  raised += 1;
  const [alert] = await t.database.db
    .insert(alerts)
    .values({
      householdId,
      districtId: 'KC-KCZ',
      rule: 'TEST_RULE',
      article: 'KC-00',
      severity: 'LOW',
      action: 'look',
      period: `p-${raised}`,
      summary: 'test',
      evidence: {},
    })
    .returning();
  await announceAlerts(t.database.db, [alert!.id]);
  return alert!.id;
}

/** an open alertRaised subscription: what it received and how its socket closed */
async function subscribe(authorization: string) {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const received: number[] = [];
  let closed: { code: number; reason: string } | null = null;
  let connected!: () => void;
  const ready = new Promise<void>((r) => (connected = r));
  const client = createClient({
    url: t.url.replace('http://', 'ws://'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // a closed socket is what some tests expect
    connectionParams: { authorization },
    on: {
      connected: () => connected(),
      closed: (event) => void (closed = { code: (event as { code: number }).code, reason: (event as { reason: string }).reason }),
    },
  });
  client.subscribe<{ alertRaised: { id: string } }>(
    { query: 'subscription { alertRaised { id } }' },
    {
      next: (n) => void received.push(Number(n.data?.alertRaised.id)),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await ready;
  await new Promise((r) => setTimeout(r, 200)); // the subscription is registered
  return { received, closed: () => closed, dispose: () => client.dispose() };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

async function newApiKey(): Promise<{ key: string; id: string }> {
  const res = await t.gql(`mutation { createApiKey(input: { name: "alerts board", role: ADMIN }) { key apiKey { id } } }`);
  expect(res.body.errors).toBeUndefined();
  return { key: res.body.data.createApiKey.key, id: res.body.data.createApiKey.apiKey.id };
}

const revoke = (id: string) => t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id });

describe('a subscription ends with its credential', () => {
  it('closes the socket of a JWT when the token expires, and sends it nothing after', async () => {
    const token = await t.hub.authenticator.issue({ sub: 'board@test', role: 'ADMIN' }, '3s');
    const sub = await subscribe(`Bearer ${token}`);
    try {
      const before = await raiseAlert();
      await until(() => sub.received.length === 1, 2_000);
      expect(sub.received).toEqual([before]); // valid until then
      await until(() => sub.closed() !== null, 5_000);
      expect(sub.closed()).toMatchObject({ code: 4401 });
      expect(sub.closed()!.reason).toMatch(/expired/);
      await raiseAlert();
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.received).toEqual([before]);
    } finally {
      await sub.dispose();
    }
  }, 20_000);

  it('sends a revoked API key no further alert and closes its socket', async () => {
    const { key, id } = await newApiKey();
    const sub = await subscribe(`Bearer ${key}`);
    try {
      const before = await raiseAlert();
      await until(() => sub.received.length === 1, 2_000);
      expect(sub.received).toEqual([before]);
      await revoke(id);
      await raiseAlert();
      await until(() => sub.closed() !== null, 3_000);
      expect(sub.closed()).toMatchObject({ code: 4401 });
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.received).toEqual([before]);
    } finally {
      await sub.dispose();
    }
  }, 20_000);

  it('closes the socket of a revoked API key even when no alert comes', async () => {
    const { key, id } = await newApiKey();
    const sub = await subscribe(`Bearer ${key}`);
    try {
      await revoke(id);
      await until(() => sub.closed() !== null, 3_000);
      expect(sub.closed()).toMatchObject({ code: 4401 });
    } finally {
      await sub.dispose();
    }
  }, 20_000);

  it('keeps the subscription of a valid credential open and delivering', async () => {
    const { key } = await newApiKey();
    const sub = await subscribe(`Bearer ${key}`);
    try {
      await new Promise((r) => setTimeout(r, 1_500)); // past a sweep
      const id = await raiseAlert();
      await until(() => sub.received.length === 1, 2_000);
      expect(sub.received).toEqual([id]);
      expect(sub.closed()).toBeNull();
    } finally {
      await sub.dispose();
    }
  }, 20_000);
});
