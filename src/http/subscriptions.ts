// GraphQL subscriptions over WebSocket (graphql-ws) on the HTTP server's port and path, under the rules
// an HTTP request meets: the same gate (credential, refused-credential limit, rate limit), the same
// operation limits (ws-guard), and each event masked, audited and sent only while the credential holds.
import type http from 'node:http';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Caller } from '../auth/caller.js';
import { maskResponse } from '../auth/mask.js';
import type { Config } from '../config.js';
import type { HubContext } from '../context.js';
import { hubError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SubscriptionLifetime } from '../subscription-lifetime.js';
import { guardSubscription } from '../ws-guard.js';
import type { Gate } from './authenticate.js';
import { isGatewaySigned } from './gateway-signature.js';
import { safeError } from './privacy.js';

export interface SubscriptionOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  /** the validation rules HTTP requests meet beyond graphql's own */
  rules: readonly ValidationRule[];
  config: Pick<Config, 'NODE_ENV' | 'MAX_REQUEST_BYTES' | 'MAX_QUERY_TOKENS' | 'WS_CREDENTIAL_CHECK_SECONDS' | 'GATEWAY_HMAC_SECRET'>;
  gate: Gate;
  /** a fresh context for one subscription of this caller (signed: the gateway signed the operation) */
  contextFor(caller: Caller, signed: boolean): HubContext;
  logger: Logger;
}

/** Serves subscriptions until the returned function is called (on drain). */
export function serveSubscriptions({ httpServer, schema, rules, config, gate, contextFor, logger }: SubscriptionOptions): () => Promise<void> {
  const lifetimes = new SubscriptionLifetime(gate.authenticator, logger.child({ component: 'subscriptions' }), config.WS_CREDENTIAL_CHECK_SECONDS * 1000);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.MAX_REQUEST_BYTES });
  const callerOf = (extra: unknown) => (extra as { caller?: Caller }).caller;
  const server = useServer(
    {
      schema,
      // the token travels in the connection's init payload: { authorization: "Bearer …" }
      onConnect: async (ctx) => {
        const authorization = String(ctx.connectionParams?.['authorization'] ?? '');
        const admission = await gate.admit(ctx.extra.request.socket.remoteAddress ?? 'unknown', authorization);
        if (!('caller' in admission)) return false;
        (ctx.extra as { caller?: Caller }).caller = admission.caller;
        lifetimes.watch(ctx.extra.socket, authorization);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const caller = callerOf(ctx.extra);
        if (!caller) return [hubError('UNAUTHENTICATED')];
        const guarded = await guardSubscription(payload, {
          schema,
          rules,
          introspection: config.NODE_ENV !== 'production',
          maxBytes: config.MAX_REQUEST_BYTES,
          maxTokens: config.MAX_QUERY_TOKENS,
          overLimit: async () => (await gate.overLimit(caller))?.message ?? null,
        });
        return 'schema' in guarded ? { ...guarded, contextValue: contextFor(caller, isGatewaySigned(config.GATEWAY_HMAC_SECRET, payload)) } : guarded;
      },
      onClose: (ctx) => lifetimes.forget(ctx.extra.socket),
      onNext: async (ctx, _id, _payload, args, result) => {
        if (!(await lifetimes.check(ctx.extra.socket))) return {}; // the socket is closed: nothing is sent
        const context = args.contextValue as HubContext;
        await context.audit.flush();
        maskResponse(result.data, context.released);
        if (!result.errors?.length) return result;
        // the same faces as over HTTP: no SQL, no resident IDs
        for (const error of result.errors) {
          if (error instanceof GraphQLError && (error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR') === 'INTERNAL_SERVER_ERROR')
            context.log.error({ err: error.originalError ?? error, path: error.path }, 'subscription event failed');
        }
        return { ...result, errors: result.errors.map((e) => safeError(e instanceof GraphQLError ? e.toJSON() : e)) };
      },
    },
    wsServer,
  );
  return async () => {
    lifetimes.stop();
    await server.dispose();
  };
}
