// Requests the federation gateway signed: Hive Gateway's upstream HMAC signing (useHmacUpstreamSignature)
// puts base64(HMAC-SHA256(secret, content)) in the request's `extensions["hmac-signature"]`, where the
// content is the stable JSON (keys sorted, no spaces) of { query, variables } as sent, variables left
// out when there are none. Only such a request may use the subgraph's own fields (_entities, _service):
// whoever can reach the hub directly cannot resolve entities around the root fields' rules.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_EXTENSION = 'hmac-signature';

/** the parameters of a GraphQL request as they arrive (HTTP body, graphql-ws subscribe payload) */
export interface RequestParams {
  query?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** JSON with object keys sorted at every level and no spaces, as json-stable-stringify writes it */
export function stableStringify(value: unknown): string | undefined {
  const seen = new Set<object>();
  const write = (node: unknown): string | undefined => {
    if (node && typeof (node as { toJSON?: unknown }).toJSON === 'function') node = (node as { toJSON(): unknown }).toJSON();
    if (node === undefined || typeof node === 'function' || typeof node === 'symbol') return undefined;
    if (node === null || typeof node !== 'object') return JSON.stringify(node);
    if (seen.has(node)) throw new TypeError('Converting circular structure to JSON');
    seen.add(node);
    try {
      if (Array.isArray(node)) return `[${node.map((item) => write(item) ?? 'null').join(',')}]`;
      const record = node as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const written = write(record[key]);
        if (written !== undefined) members.push(`${JSON.stringify(key)}:${written}`);
      }
      return `{${members.join(',')}}`;
    } finally {
      seen.delete(node);
    }
  };
  return write(value);
}

/** what the gateway signs of a request */
export function signedContent(params: RequestParams): string {
  const variables = params.variables && typeof params.variables === 'object' && Object.keys(params.variables).length > 0 ? params.variables : undefined;
  return stableStringify({ query: params.query, variables })!;
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
