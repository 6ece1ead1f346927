// What a gateway client is told when a subgraph fails (src/gateway/errors.ts): the errors Hive Gateway gives, as
// measured in test/agency-subgraph.test.ts, turned into the hub's coded ones at their exact paths.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { connectors } from '../../connectors/index.js';
import { agencySubgraphSdl } from '../../src/agency/live-graphql.js';
import { ERRORS } from '../../src/errors.js';
import { agencyOwnedFields, maskErrors } from '../../src/gateway/errors.js';

const ownedFields = agencyOwnedFields(
  [
    { name: 'hub', sdl: 'type Person @key(fields: "id") { id: ID! allowance: String }' },
    { name: 'civil_affairs', sdl: agencySubgraphSdl(connectors['civil-affairs']) },
  ],
  'hub',
);
const masking = { hub: 'hub', ownedFields };

const page = {
  households: {
    nodes: [
      {
        id: '1',
        members: [
          { id: '10', civilAffairs: null },
          { id: '11', civilAffairs: null },
        ],
      },
      { id: '2', members: [{ id: '20', civilAffairs: null }] },
    ],
  },
};
const result = (errors: GraphQLError[], data: unknown = page): ExecutionResult => ({ data: data as ExecutionResult['data'], errors });
const plain = (r: ExecutionResult) => r.errors?.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions }));

describe('gateway error masking', () => {
  it('knows the agency’s fields on the shared entities only, not its own types’ (their names are the hub’s too)', () => {
    expect([...ownedFields]).toEqual([['civilAffairs', 'civil_affairs']]);
  });

  it('turns an agency’s failure, however worded and wherever Hive puts it, into AGENCY_UNAVAILABLE at each null it left', () => {
    const leaked = new GraphQLError('pool at 10.1.2.3 exhausted', {
      path: ['households', 'nodes', 0, 'members', 'civilAffairs'],
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'civil_affairs', request: { body: '{"variables":{"representations":[]}}' } },
    });
    const masked = maskErrors(result([leaked, leaked]), masking);
    const at = (h: number, m: number) => ({
      message: 'civil_affairs did not answer',
      path: ['households', 'nodes', h, 'members', m, 'civilAffairs'],
      extensions: { code: 'AGENCY_UNAVAILABLE', subgraph: 'civil_affairs' },
    });
    expect(plain(masked)).toEqual([at(0, 0), at(0, 1), at(1, 0)]);
    expect(masked.data).toBe(page);
  });

  it('finds the subgraph from the field when Hive names none (a masked "Unexpected error.")', () => {
    const unnamed = new GraphQLError('Unexpected error.', {
      path: ['households', 'nodes', 0, 'members', 'civilAffairs'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(plain(maskErrors(result([unnamed]), masking))?.map((e) => e.extensions?.['code'])).toEqual([
      'AGENCY_UNAVAILABLE',
      'AGENCY_UNAVAILABLE',
      'AGENCY_UNAVAILABLE',
    ]);
  });

  it('passes the hub’s own coded errors as the hub gives them, without the subgraph name', () => {
    const forbidden = new GraphQLError('forbidden', { path: ['households'], extensions: { code: 'FORBIDDEN', serviceName: 'hub' } });
    const agencyDown = new GraphQLError('civil-affairs: unavailable', {
      path: ['households', 'nodes', 0, 'members', 0, 'allowance'],
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'civil-affairs', serviceName: 'hub' },
    });
    expect(plain(maskErrors(result([forbidden, agencyDown]), masking))).toEqual([
      { message: 'forbidden', path: ['households'], extensions: { code: 'FORBIDDEN' } },
      {
        message: 'civil-affairs: unavailable',
        path: ['households', 'nodes', 0, 'members', 0, 'allowance'],
        extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'civil-affairs' },
      },
    ]);
  });

  it('says SERVICE_UNAVAILABLE, and nothing of the request, when the hub itself did not answer', () => {
    const timeout = new GraphQLError('The operation was aborted due to timeout', {
      path: ['households'],
      extensions: {
        code: 'GATEWAY_TIMEOUT',
        serviceName: 'hub',
        request: { url: 'http://10.0.0.4:4000/graphql', body: '{"extensions":{"hmac-signature":"x"}}' },
      },
    });
    expect(plain(maskErrors(result([timeout], { households: null }), masking))).toEqual([
      { message: ERRORS.SERVICE_UNAVAILABLE.message, path: ['households'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
    ]);
  });

  it('leaves the gateway’s own validation errors, and a result without errors, alone', () => {
    const validation = new GraphQLError('Cannot query field "subjectRef" on type "Person".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(plain(maskErrors(result([validation], null), masking))).toEqual([
      { message: 'Cannot query field "subjectRef" on type "Person".', path: undefined, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    const clean = { data: page } as ExecutionResult;
    expect(maskErrors(clean, masking)).toBe(clean);
  });
});
