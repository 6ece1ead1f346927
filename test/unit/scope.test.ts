// District scope is a value on the context: the @auth wrapper checks a named district against it and
// hands the resolver the arguments exactly as the client sent them (no injected districtIds).
import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { applyAuthorization } from '../../src/auth/authorize.js';
import { EVERY_DISTRICT, inScope, scopeOf } from '../../src/auth/scope.js';
import type { HubContext } from '../../src/context.js';

const caseworker: Caller = { id: 'cw', role: 'CASEWORKER', districts: ['KC-KCZ'], agency: null };
const manager: Caller = { id: 'm', role: 'MANAGER', districts: null, agency: null };

describe('scopeOf', () => {
  it('is the districts a bound caller names, and every district otherwise', () => {
    expect(scopeOf(caseworker)).toEqual({ districts: ['KC-KCZ'] });
    expect(scopeOf(manager)).toBe(EVERY_DISTRICT);
    expect(scopeOf(null)).toBe(EVERY_DISTRICT);
    expect(inScope(scopeOf(caseworker), 'KC-KCZ')).toBe(true);
    expect(inScope(scopeOf(caseworker), 'KC-LXM')).toBe(false);
    expect(inScope(EVERY_DISTRICT, 'KC-LXM')).toBe(true);
  });
});

describe('@scopedList', () => {
  const seen: unknown[] = [];
  const schema = applyAuthorization(
    makeExecutableSchema({
      typeDefs: `
        enum Role { ADMIN MANAGER CASEWORKER AGENCY AUDITOR ALERT_CONSUMER }
        directive @auth(roles: [Role!]!) on FIELD_DEFINITION | OBJECT
        directive @scopedList(arg: String) on FIELD_DEFINITION
        input Filter { districtId: ID, status: String }
        type Query {
          items(filter: Filter): [String!]! @auth(roles: [MANAGER, CASEWORKER]) @scopedList(arg: "filter")
          counts(districtId: ID): [String!]! @auth(roles: [MANAGER, CASEWORKER]) @scopedList
        }`,
      resolvers: {
        Query: {
          items: (_: unknown, args: unknown, ctx: HubContext) => (seen.push(args), [...(ctx.scope.districts ?? ['*'])]),
          counts: (_: unknown, args: unknown, ctx: HubContext) => (seen.push(args), [...(ctx.scope.districts ?? ['*'])]),
        },
      },
    }),
  );
  const run = (caller: Caller, source: string) =>
    graphql({ schema, source, contextValue: { caller, scope: scopeOf(caller), released: new Set() } as unknown as HubContext });

  it('passes the arguments through untouched; the resolver reads the scope from the context', async () => {
    seen.length = 0;
    const res = await run(caseworker, '{ items(filter: { status: "OPEN" }) counts }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ items: ['KC-KCZ'], counts: ['KC-KCZ'] });
    expect(seen).toEqual([{ filter: { status: 'OPEN' } }, {}]);
  });

  it("refuses a named district outside the caller's, and lets one inside through", async () => {
    expect((await run(caseworker, '{ items(filter: { districtId: "KC-LXM" }) }')).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await run(caseworker, '{ counts(districtId: "KC-LXM") }')).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await run(caseworker, '{ items(filter: { districtId: "KC-KCZ" }) }')).errors).toBeUndefined();
    expect((await run(manager, '{ items(filter: { districtId: "KC-LXM" }) counts }')).data).toEqual({ items: ['*'], counts: ['*'] });
  });
});
