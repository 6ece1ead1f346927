// The federation gateway in front of the hub (issue 15): Hive Gateway's runtime, not a home-made one. It composes
// the subgraphs' SDL into a supergraph (@theguild/federation-composition), signs every upstream request with
// the HMAC the hub checks before it answers _entities/_service, forwards the caller's Authorization to the hub
// only (the hub still decides roles, district scope, masking and audit; an agency's subgraph never sees a caller's
// token), forwards subscriptions over graphql-ws, and tells clients of a failed subgraph in the hub's error codes
// (src/gateway/errors.ts).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { getOperationASTFromRequest, type ExecutionRequest } from '@graphql-tools/utils';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { gatewaySignature } from '../http/gateway-signature.js';
import { agencyOwnedFields, errorMaskingPlugin } from './errors.js';

export interface SubgraphSource {
  name: string;
  /** its GraphQL endpoint (subscriptions: the same path over ws://) */
  url: string;
  /** its published SDL; without it the gateway asks the subgraph for `_service { sdl }`, signed */
  sdlFile?: string;
  /** the Authorization to send with that `_service` request (the hub answers it only for an authenticated caller) */
  serviceAuthorization?: string;
  /**
   * whether the caller's Authorization is forwarded to it (default: only to the subgraph named "hub", which decides
   * roles, districts, masking and audit). An agency's subgraph never gets a caller's bearer token, which it could
   * replay against the hub; it knows the gateway by its signature.
   */
  forwardAuthorization?: boolean;
}

export interface GatewayOptions {
  subgraphs: SubgraphSource[];
  hmacSecret: string;
  /** per upstream request */
  timeoutMs: number;
  /** further attempts of a failed query; mutations and subscriptions are never repeated */
  retries: number;
  logging?: boolean | 'debug' | 'info' | 'warn' | 'error';
}

export interface Gateway {
  runtime: GatewayRuntime;
  httpServer: Server;
  supergraphSdl: string;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** the client headers the hub needs: who calls (it authorizes), the request id (logs join up), the declared purpose (audit) */
const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'x-hub-purpose'] as const;
/** what every other subgraph gets: the request id */
const FORWARDED_TO_ALL = new Set<string>(['x-request-id']);

function operationOf(request: ExecutionRequest): string {
  return request.operationType ?? getOperationASTFromRequest(request).operation;
}

const SERVICE_QUERY = 'query{_service{sdl}}';

async function subgraphSdl(source: SubgraphSource, hmacSecret: string): Promise<string> {
  if (source.sdlFile) return readFile(source.sdlFile, 'utf8');
  const params = { query: SERVICE_QUERY };
  const res = await fetch(source.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(source.serviceAuthorization ? { authorization: source.serviceAuthorization } : {}) },
    body: JSON.stringify({ ...params, extensions: { 'hmac-signature': gatewaySignature(hmacSecret, params) } }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => null)) as { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] } | null;
  const sdl = body?.data?._service?.sdl;
  if (!sdl) throw new Error(`subgraph ${source.name} (${source.url}) gave no SDL: HTTP ${res.status} ${body?.errors?.map((e) => e.message).join('; ') ?? ''}`);
  return sdl;
}

/** the supergraph of these subgraphs; composition errors stop the gateway before it serves anything */
export async function composeSupergraph(subgraphs: SubgraphSource[], hmacSecret: string): Promise<string> {
  return (await compose(subgraphs, hmacSecret)).supergraphSdl;
}

async function compose(subgraphs: SubgraphSource[], hmacSecret: string): Promise<{ supergraphSdl: string; sdls: { name: string; sdl: string }[] }> {
  if (subgraphs.length === 0) throw new Error('the gateway needs at least one subgraph');
  const sdls = await Promise.all(subgraphs.map(async (s) => ({ name: s.name, sdl: await subgraphSdl(s, hmacSecret) })));
  const result = composeServices(sdls.map(({ name, sdl }, i) => ({ name, url: subgraphs[i]!.url, typeDefs: parse(sdl) })));
  if (result.errors?.length) throw new Error(`supergraph composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  if (!result.supergraphSdl) throw new Error('supergraph composition gave no SDL');
  return { supergraphSdl: result.supergraphSdl, sdls };
}

/** whether the hub takes this Authorization: a 401 or 403 to the smallest query says no; an unreachable hub is not a refusal */
async function hubAccepts(hubUrl: string, authorization: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(hubUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.status !== 401 && res.status !== 403;
  } catch {
    return true;
  }
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { supergraphSdl, sdls } = await compose(options.subgraphs, options.hmacSecret);
  const masking = { hub: 'hub', ownedFields: agencyOwnedFields(sdls, 'hub') };
  const hubUrl = options.subgraphs.find((s) => s.name === 'hub')?.url;
  const identityTo = new Set(options.subgraphs.filter((s) => s.forwardAuthorization ?? s.name === 'hub').map((s) => s.name));
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: options.logging ?? 'info',
    landingPage: false,
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries: {
      // subscriptions go to the subgraph over graphql-ws, with the caller's token in the init payload as the hub expects it
      '*.http': {
        options: {
          subscriptions: {
            kind: 'ws',
            options: { connectionParams: { authorization: '{context.connectionParams.authorization}' } },
          },
        },
      },
    },
    hmacSignature: { secret: options.hmacSecret },
    // a subgraph's failure reaches the client as the hub's coded error at its exact path, never in the upstream's words
    plugins: () => [errorMaskingPlugin(masking)],
    propagateHeaders: {
      fromClientToSubgraphs({ request, subgraphName }) {
        const headers: Record<string, string> = {};
        const trusted = identityTo.has(subgraphName);
        for (const name of FORWARDED_HEADERS) {
          if (!trusted && !FORWARDED_TO_ALL.has(name)) continue;
          const value = request?.headers?.get(name);
          if (value) headers[name] = value;
        }
        return headers;
      },
    },
    // a subscription lives as long as its subscriber: the time limit is for queries and mutations
    upstreamTimeout: ({ executionRequest }) => (executionRequest && operationOf(executionRequest) === 'subscription' ? undefined : options.timeoutMs),
    // only reads are repeated: a mutation that timed out may have been applied
    upstreamRetry: ({ executionRequest }) =>
      operationOf(executionRequest) === 'query' && options.retries > 0 ? { maxRetries: options.retries, retryDelay: 200 } : undefined,
  });

  // the runtime loads the supergraph on its first HTTP request; a subscriber may be first
  await runtime.getSchema();

  const httpServer = createServer(runtime);
  const wsServer = new WebSocketServer({ server: httpServer, path: runtime.graphqlEndpoint });
  const wsDisposer = useServer(
    {
      ...getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({ req: ctx.extra.request, socket: ctx.extra.socket })),
      // as the hub does: no token in the init payload, no connection; a token the hub refuses, none either (asked
      // here once: the upstream WebSocket client would otherwise retry a refused connection for ~37 s before failing)
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.['authorization'];
        if (typeof authorization !== 'string' || authorization === '') return false;
        return hubUrl ? hubAccepts(hubUrl, authorization, options.timeoutMs) : true;
      },
    },
    wsServer,
  );

  return {
    runtime,
    httpServer,
    supergraphSdl,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}${runtime.graphqlEndpoint}`);
        });
      });
    },
    async close() {
      await wsDisposer.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
