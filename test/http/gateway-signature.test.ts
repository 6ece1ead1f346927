// The hub checks the signature Hive Gateway's upstream HMAC signing puts on what it sends a subgraph.
// The signer here does what the gateway's does: WebCrypto HMAC-SHA256 over the stable JSON of the
// printed upstream document and its variables (none when empty), base64 in extensions["hmac-signature"].
import { webcrypto } from 'node:crypto';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { defaultParamsSerializer } from '@graphql-mesh/hmac-upstream-signature';
import { gatewaySignature, isGatewaySigned, signedContent } from '../../src/http/gateway-signature.js';

const SECRET = 'gateway-secret-of-at-least-32-characters';

/** the gateway's signer, step by step (useHmacUpstreamSignature with its default serializer) */
async function signLikeTheGateway(secret: string, document: string, variables?: Record<string, unknown>) {
  const query = print(parse(document));
  const content = defaultParamsSerializer({ query, variables })!;
  const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(content));
  return { query, variables, extensions: { 'hmac-signature': btoa(String.fromCharCode(...new Uint8Array(signature))) } };
}

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Household { id } } }';

describe('gateway signature', () => {
  it('writes JSON the way json-stable-stringify does: sorted keys at every level, no spaces, undefined left out', () => {
    expect(signedContent({ query: '{ a }', variables: { b: 1, a: { d: [1, undefined, 'x'], c: null }, u: undefined } })).toBe(
      '{"query":"{ a }","variables":{"a":{"c":null,"d":[1,null,"x"]},"b":1}}',
    );
    expect(signedContent({ query: '{ a }', variables: {} })).toBe('{"query":"{ a }"}');
    expect(signedContent({ query: '{ a }', variables: { z: 1, y: [{ b: 2, a: 1 }] } })).toBe('{"query":"{ a }","variables":{"y":[{"a":1,"b":2}],"z":1}}');
  });

  it('accepts what the gateway signed, with or without variables', async () => {
    const signed = await signLikeTheGateway(SECRET, ENTITIES, { representations: [{ __typename: 'Household', id: '1' }] });
    expect(isGatewaySigned(SECRET, signed)).toBe(true);
    expect(signed.extensions['hmac-signature']).toBe(gatewaySignature(SECRET, signed));
    expect(isGatewaySigned(SECRET, await signLikeTheGateway(SECRET, '{ _service { sdl } }'))).toBe(true);
    expect(isGatewaySigned(SECRET, await signLikeTheGateway(SECRET, '{ _service { sdl } }', {}))).toBe(true);
  });

  it('refuses a request unsigned, signed with another key, or changed after signing', async () => {
    const signed = await signLikeTheGateway(SECRET, ENTITIES, { representations: [{ __typename: 'Household', id: '1' }] });
    expect(isGatewaySigned(SECRET, { query: signed.query, variables: signed.variables })).toBe(false);
    expect(isGatewaySigned(SECRET, { ...signed, extensions: { 'hmac-signature': '' } })).toBe(false);
    expect(isGatewaySigned(SECRET, { ...signed, extensions: { 'hmac-signature': 'bm90IGEgc2lnbmF0dXJl' } })).toBe(false);
    expect(isGatewaySigned(`${SECRET}-other`, signed)).toBe(false);
    expect(isGatewaySigned(SECRET, { ...signed, variables: { representations: [{ __typename: 'Household', id: '2' }] } })).toBe(false);
    expect(isGatewaySigned(SECRET, { ...signed, query: `${signed.query} ` })).toBe(false);
  });

  it('refuses everything when no secret is configured', async () => {
    const signed = await signLikeTheGateway(SECRET, ENTITIES);
    expect(isGatewaySigned(undefined, signed)).toBe(false);
    expect(isGatewaySigned('', signed)).toBe(false);
    expect(isGatewaySigned(SECRET, null)).toBe(false);
  });
});
