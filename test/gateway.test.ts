// Issue 15, part 3: Hive Gateway in front of the hub. Through the gateway the hub's rules hold exactly as on the
// hub alone (roles, district scope, masking, audit), because the gateway forwards the caller's token and the
// hub decides; the gateway signs its upstream requests so entity resolution works, and a client cannot reach
// _entities through it.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { CallerClaims } from '../src/auth/caller.js';
import { auditLog } from '../src/auth/tables.js';
import { createGateway, type Gateway } from '../src/gateway/gateway.js';
import { PUBLISHED_SDL } from '../src/schema.js';
import { ADMIN, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';
import { housedHousehold } from './helpers/scenario.js';

const GATEWAY_SECRET = 'gateway-hmac-secret-of-at-least-32-chars';

const PAGE = /* GraphQL */ `
  query Page($first: Int) {
    households(first: $first) {
      totalCount
      nodes {
        id
        status
        district {
          id
        }
        head {
          residentId
          name
        }
        members {
          id
          residentId
          name
          birthDate
        }
      }
    }
  }
`;

let t: TestHub;
let gateway: Gateway;
let gatewayUrl: string;

beforeAll(async () => {
  t = await startTestHub({ households: 30, env: { GATEWAY_HMAC_SECRET: GATEWAY_SECRET } });
  gateway = await createGateway({
    subgraphs: [{ name: 'hub', url: t.url, sdlFile: PUBLISHED_SDL }],
    hmacSecret: GATEWAY_SECRET,
    timeoutMs: 10_000,
    retries: 1,
    logging: false,
  });
  gatewayUrl = await gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close();
  await t?.close();
});

async function ask(
  url: string,
  caller: CallerClaims | null,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const token = caller ? await t.hub.authenticator.issue(caller) : null;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}
const viaGateway = (caller: CallerClaims | null, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
  ask(gatewayUrl, caller, query, variables, headers);
const direct = (caller: CallerClaims | null, query: string, variables?: Record<string, unknown>) => ask(t.url, caller, query, variables);
const codes = (res: GraphQLResponse) => (res.body.errors ?? []).map((e) => e.extensions?.['code']);

describe('the gateway in front of the hub', () => {
  it('answers a page of households exactly as the hub does, resident IDs and names masked the same way', async () => {
    const [through, alone] = await Promise.all([viaGateway(ADMIN, PAGE, { first: 30 }), direct(ADMIN, PAGE, { first: 30 })]);
    expect(through.body.errors).toBeUndefined();
    expect(through.body.data.households.nodes.length).toBeGreaterThan(0);
    expect(through.body.data).toEqual(alone.body.data);
    const members = through.body.data.households.nodes.flatMap((n: { members: { residentId: string; name: string }[] }) => n.members);
    expect(members.every((m: { residentId: string; name: string }) => /^\d{6}\*{8}[\dX]{4}$/.test(m.residentId) && /^.\*+$/u.test(m.name))).toBe(true);
  });

  it('keeps a CASEWORKER to its district', async () => {
    const caseworker = CALLERS['CASEWORKER']!;
    const [through, alone] = await Promise.all([viaGateway(caseworker, PAGE, { first: 30 }), direct(caseworker, PAGE, { first: 30 })]);
    expect(through.body.errors).toBeUndefined();
    const districts = new Set(through.body.data.households.nodes.map((n: { district: { id: string } }) => n.district.id));
    expect([...districts]).toEqual(['KC-KCZ']);
    expect(through.body.data).toEqual(alone.body.data);

    // another district's household: what the hub alone says, the gateway says
    const all = (await direct(ADMIN, PAGE, { first: 30 })).body.data.households.nodes as { id: string; district: { id: string } }[];
    const elsewhere = all.find((n) => n.district.id !== 'KC-KCZ')!;
    const ONE = `query($id: ID!) { household(id: $id) { id district { id } } }`;
    const [one, oneAlone] = await Promise.all([viaGateway(caseworker, ONE, { id: elsewhere.id }), direct(caseworker, ONE, { id: elsewhere.id })]);
    expect(one.body.data?.household ?? null).toBeNull();
    expect(one.body.data ?? null).toEqual(oneAlone.body.data ?? null);
    expect(codes(one)).toEqual(codes(oneAlone));
  });

  it('refuses a caller without a token, as the hub does', async () => {
    const res = await viaGateway(null, PAGE, { first: 5 });
    expect(res.body.data?.households ?? null).toBeNull();
    expect(res.body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).toContain('UNAUTHENTICATED');
  });

  it('refuses a role the field does not allow, with the hub’s code', async () => {
    const agency = CALLERS['AGENCY']!;
    const [through, alone] = await Promise.all([viaGateway(agency, PAGE, { first: 5 }), direct(agency, PAGE, { first: 5 })]);
    expect(codes(alone)).toContain('FORBIDDEN');
    expect(codes(through)).toEqual(codes(alone));
  });

  it('leaves the audit entries the hub writes, under the caller and the request id the client sent', async () => {
    const requestId = `gw-${randomUUID()}`;
    const caseworker = CALLERS['CASEWORKER']!;
    const mine = (await direct(caseworker, PAGE, { first: 1 })).body.data.households.nodes[0].id as string;
    const ONE = `query($id: ID!) { household(id: $id) { id members { residentId } } }`;
    const res = await viaGateway(caseworker, ONE, { id: mine }, { 'x-request-id': requestId, 'x-hub-purpose': 'tenancy review' });
    expect(res.body.errors).toBeUndefined();
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.requestId, requestId));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.actor === caseworker.sub && r.role === 'CASEWORKER')).toBe(true);
    expect(rows.some((r) => r.householdId === Number(mine))).toBe(true);
  });

  it('passes the declared purpose on: a read of agency data through the gateway is audited with it', async () => {
    const requestId = `gw-${randomUUID()}`;
    const caseworker = CALLERS['CASEWORKER']!;
    const mine = (await direct(caseworker, PAGE, { first: 1 })).body.data.households.nodes[0].id as string;
    const READ = `query($id: ID!) { household(id: $id) { members { hukou { areaCode } vehicles { plate } } } }`;
    const res = await viaGateway(caseworker, READ, { id: mine }, { 'x-request-id': requestId, 'x-hub-purpose': 'annual review 2026' });
    expect(res.body.errors).toBeUndefined();
    // written beside the answer: it lands a moment later
    const reads = await vi.waitFor(async () => {
      const rows = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.requestId, requestId), eq(auditLog.action, 'READ')));
      expect(rows.length).toBeGreaterThan(0);
      return rows;
    });
    expect(reads.every((r) => r.purpose === 'annual review 2026' && r.actor === caseworker.sub)).toBe(true);
  });

  it('offers no _entities or _service to its own clients', async () => {
    const res = await viaGateway(ADMIN, `query { _entities(representations: [{ __typename: "Household", id: "1" }]) { __typename } }`);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/_entities/);
    const service = await viaGateway(ADMIN, `query { _service { sdl } }`);
    expect(service.body.errors?.[0]?.message).toMatch(/_service/);
  });

  it('still lets the hub alone answer the same queries', async () => {
    const res = await direct(ADMIN, PAGE, { first: 5 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.households.nodes).toHaveLength(5);
  });
});

describe('subscriptions through the gateway (graphql-ws both ways)', () => {
  const client = (authorization: string | null) =>
    createClient({
      url: gatewayUrl.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: authorization ? { authorization } : {},
    });

  it('delivers alertRaised to a subscriber of the gateway', async () => {
    const subscriber = client(await t.adminAuth());
    try {
      const received: { rule: string; household: { id: string } }[] = [];
      const first = new Promise<void>((resolve, reject) => {
        subscriber.subscribe<{ alertRaised: (typeof received)[number] }>(
          { query: 'subscription { alertRaised { rule household { id } } }' },
          {
            next: (message) => {
              if (message.data) received.push(message.data.alertRaised);
              else reject(new Error(JSON.stringify(message.errors)));
              resolve();
            },
            error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => undefined,
          },
        );
      });
      await new Promise((r) => setTimeout(r, 500)); // let the subscription reach the hub
      const { id } = await housedHousehold(t, ['2025-12', '2026-02', '2026-04', '2026-06', '2026-08', '2026-10']);
      const run = await viaGateway(ADMIN, `mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [id] });
      expect(run.body.errors).toBeUndefined();
      await first;
      expect(received[0]).toEqual({ rule: 'RENT_ARREARS_EXIT', household: { id } });
    } finally {
      await subscriber.dispose();
    }
  });

  it('refuses a subscriber without a token, as the hub does: the connection is closed Forbidden', async () => {
    const subscriber = client(null);
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        subscriber.subscribe(
          { query: 'subscription { alertRaised { id } }' },
          { next: (message) => resolve(message), error: (error) => resolve(error), complete: () => resolve('completed') },
        );
      });
      expect(outcome).toMatchObject({ code: 4403, reason: 'Forbidden' });
    } finally {
      await subscriber.dispose();
    }
  });

  it('refuses a subscriber whose token the hub rejects at once (not after the upstream client’s ~37 s of retries)', async () => {
    const subscriber = client('Bearer not-a-token-the-hub-issued');
    const started = Date.now();
    try {
      const outcome = await new Promise<unknown>((resolve) => {
        subscriber.subscribe(
          { query: 'subscription { alertRaised { id } }' },
          { next: (message) => resolve(message), error: (error) => resolve(error), complete: () => resolve('completed') },
        );
      });
      expect(outcome).toMatchObject({ code: 4403, reason: 'Forbidden' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await subscriber.dispose();
    }
  });
});
