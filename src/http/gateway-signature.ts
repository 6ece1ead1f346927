// Requests the federation gateway signed: Hive Gateway's upstream HMAC signing (useHmacUpstreamSignature)
// puts base64(HMAC-SHA256(secret, content)) in the request's `extensions["hmac-signature"]`, where the
// content is the stable JSON (keys sorted, no spaces) of { query, variables } as sent, variables left
// out when there are none, written here by the gateway plugin's own serializer. Only such a request may
// use the subgraph's own fields (_entities, _service): whoever can reach the hub directly cannot resolve
// entities around the root fields' rules.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { defaultParamsSerializer } from '@graphql-mesh/hmac-upstream-signature';

export const SIGNATURE_EXTENSION = 'hmac-signature';

/** the parameters of a GraphQL request as they arrive (HTTP body, graphql-ws subscribe payload) */
export interface RequestParams {
  query?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** what the gateway signs of a request: the stable JSON of { query, variables }, by the gateway plugin's own serializer */
export function signedContent(params: RequestParams): string {
  const variables = params.variables && typeof params.variables === 'object' ? (params.variables as Record<string, unknown>) : undefined;
  return defaultParamsSerializer({ query: typeof params.query === 'string' ? params.query : undefined, variables }) ?? '';
}

/** the signature the gateway would send for these parameters */
export function gatewaySignature(secret: string, params: RequestParams): string {
  return createHmac('sha256', secret).update(signedContent(params), 'utf8').digest('base64');
}

/** whether the request carries the gateway's valid signature; never, when no secret is configured */
export function isGatewaySigned(secret: string | undefined, params: RequestParams | null | undefined): boolean {
  if (!secret || !params || typeof params !== 'object') return false;
  const extensions = params.extensions;
  const sent = extensions && typeof extensions === 'object' ? (extensions as Record<string, unknown>)[SIGNATURE_EXTENSION] : undefined;
  if (typeof sent !== 'string' || !sent) return false;
  const expected = Buffer.from(gatewaySignature(secret, params), 'base64');
  const given = Buffer.from(sent, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
