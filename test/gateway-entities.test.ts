// The gateway composing the hub with a second subgraph (an agency's) whose root field returns the hub's Person:
// the gateway resolves those people through the hub's _entities, signed, with the caller's token, so the hub's
// district scope, masking and audit hold on that path too; a gateway with the wrong key is refused.
import { and, eq } from 'drizzle-orm';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerClaims } from '../src/auth/caller.js';
import { auditLog } from '../src/auth/tables.js';
import { createGateway, type Gateway } from '../src/gateway/gateway.js';
import { PUBLISHED_SDL } from '../src/schema.js';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { CALLERS } from './helpers/roles.js';

const GATEWAY_SECRET = 'gateway-hmac-secret-of-at-least-32-chars';

const AGENCY_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Person @key(fields: "id") {
    id: ID!
    pensionStatus: String
  }

  type Query {
    pensioners: [Person]
    slowAnswer: String
  }
`;

let t: TestHub;
let agency: ApolloServer;
let agencyUrl: string;
const gateways: Gateway[] = [];
let own: { id: string; household: string };
let elsewhere: { id: string; residentId: string };

let slowCalls = 0;

async function gatewayWith(secret: string, limits: { timeoutMs: number; retries: number } = { timeoutMs: 10_000, retries: 0 }): Promise<string> {
  const gateway = await createGateway({
    subgraphs: [
      { name: 'hub', url: t.url, sdlFile: PUBLISHED_SDL },
      { name: 'agency', url: agencyUrl },
    ],
    hmacSecret: secret,
    ...limits,
    logging: false,
  });
  gateways.push(gateway);
  return gateway.listen(0, '127.0.0.1');
}

beforeAll(async () => {
  t = await startTestHub({ households: 30, env: { GATEWAY_HMAC_SECRET: GATEWAY_SECRET } });
  const page = await t.gql(`{ households(first: 30) { nodes { id district { id } members { id residentId } } } }`);
  const nodes = page.body.data.households.nodes as { id: string; district: { id: string }; members: { id: string; residentId: string }[] }[];
  const mine = nodes.find((n) => n.district.id === 'KC-KCZ')!;
  const other = nodes.find((n) => n.district.id !== 'KC-KCZ')!;
  own = { id: mine.members[0]!.id, household: mine.id };
  elsewhere = other.members[0]!;
  const pensioners = [own.id, elsewhere.id];
  agency = new ApolloServer({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(AGENCY_SDL),
        resolvers: {
          Query: {
            pensioners: () => pensioners.map((id) => ({ id })),
            slowAnswer: async () => {
              slowCalls += 1;
              await new Promise((r) => setTimeout(r, 2_000));
              return 'late';
            },
          },
          Person: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }), pensionStatus: () => 'PAID' },
        },
      },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  agencyUrl = (await startStandaloneServer(agency, { listen: { port: 0, host: '127.0.0.1' } })).url;
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await agency?.stop();
  await t?.close();
});

async function ask(url: string, caller: CallerClaims, query: string): Promise<GraphQLResponse> {
  const token = await t.hub.authenticator.issue(caller);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}

const PENSIONERS = `{ pensioners { id residentId name pensionStatus household { id } } }`;

describe('the hub’s entities through the gateway', () => {
  it('resolves the agency’s people through the hub’s signed _entities, under the caller’s district scope and masking, and audits the view', async () => {
    const caseworker = CALLERS['CASEWORKER']!;
    const url = await gatewayWith(GATEWAY_SECRET);
    const before = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actor, caseworker.sub), eq(auditLog.householdId, Number(own.household))));
    const res = await ask(url, caseworker, PENSIONERS);
    const people = res.body.data?.pensioners as ({ id: string; residentId: string; name: string; pensionStatus: string } | null)[];
    const mine = people.find((p) => p?.id === own.id)!;
    expect(mine.residentId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(mine.name).toMatch(/^.\*+$/u);
    expect(mine.pensionStatus).toBe('PAID');
    // another district's person: the hub gives the caseworker nothing of it
    // another district's person: the hub resolves it to null for the caseworker, so the gateway shows nothing of it
    expect(people).toHaveLength(2);
    expect(people.filter((p) => p !== null)).toEqual([expect.objectContaining({ id: own.id })]);
    expect(JSON.stringify(res.body)).not.toContain(elsewhere.residentId);
    const after = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actor, caseworker.sub), eq(auditLog.householdId, Number(own.household))));
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('is refused by the hub when the gateway signs with another key', async () => {
    const url = await gatewayWith('another-secret-of-at-least-32-characters');
    const res = await ask(url, CALLERS['ADMIN']!, PENSIONERS);
    expect(JSON.stringify(res.body.errors ?? [])).toContain('FORBIDDEN');
    expect(JSON.stringify(res.body.data ?? {})).not.toMatch(/\d{6}\*{8}/);
  });

  it('gives up on a subgraph that does not answer within the upstream timeout, after its retries', async () => {
    const url = await gatewayWith(GATEWAY_SECRET, { timeoutMs: 300, retries: 1 });
    const started = Date.now();
    const before = slowCalls;
    const res = await ask(url, CALLERS['ADMIN']!, `{ slowAnswer }`);
    expect(res.body.data?.slowAnswer ?? null).toBeNull();
    expect(res.body.errors?.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(slowCalls - before).toBe(2);
  });
});
