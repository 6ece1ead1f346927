// The hub's HTTP side: one Node HTTP server (so a WebSocket server can share the port later),
// Express 5 for the plain routes, Apollo Server 5 for /graphql.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { connectors } from '../connectors/index.js';
import { AuthenticationUnavailable, Authenticator, type Caller } from './auth/caller.js';
import { maskResponse } from './auth/mask.js';
import { maskResidentIdsShown } from './domain/resident-id.js';
import type { AgencyId } from './agency/connector.js';
import { bulkFeedHandler } from './agency/bulk-http.js';
import { routeRequestTimeouts } from './request-timeout.js';
import { importHandler } from './imports/http.js';
import { IMPORT_ROUTES } from './imports/routes.js';
import { LiveSource } from './agency/live.js';
import type { Config } from './config.js';
import { createContext, type HubContext } from './context.js';
import type { Database, StatementCounter } from './db/client.js';
import { todayIso } from './domain/working-days.js';
import type { Logger } from './logger.js';
import { buildSchema } from './schema.js';
import { AlertBus } from './detection/bus.js';
import { WebhookDispatcher } from './detection/webhooks.js';
import { Jobs } from './jobs/index.js';
import { useServer } from 'graphql-ws/use/ws';
import { SubscriptionLifetime } from './subscription-lifetime.js';
import { WebSocketServer } from 'ws';
import { guardSubscription } from './ws-guard.js';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * What a caller sees of an error: a fault of the hub (a failed query, a bug) as a generic
 * INTERNAL_SERVER_ERROR, its detail only in the log (requestLogPlugin); resident IDs masked in
 * messages and in development's stack traces, whose first line repeats the message.
 */
export function safeError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const internal = formatted.extensions?.['code'] === 'INTERNAL_SERVER_ERROR' || formatted.extensions?.['code'] === undefined;
  const message = internal ? 'internal error (logged; quote the x-request-id header when reporting it)' : maskResidentIdsShown(formatted.message);
  const stacktrace = formatted.extensions?.['stacktrace'];
  if (!formatted.extensions) return { ...formatted, message };
  const extensions: Record<string, unknown> = { ...formatted.extensions, code: internal ? 'INTERNAL_SERVER_ERROR' : formatted.extensions['code'] };
  if (Array.isArray(stacktrace)) {
    // only the frames: the lines before them are messages, the original's and its causes'
    extensions['stacktrace'] = (stacktrace as string[]).filter((line) => /^\s+at /.test(line)).map(maskResidentIdsShown);
  }
  return { ...formatted, message, extensions };
}

/**
 * Resident IDs masked in every answer (but for values released with a purpose), and what the
 * request read and did written to the audit log before the answer leaves (KC-35): when the entry
 * cannot be written, the caller gets an error and none of the data.
 */
function privacyPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          try {
            await contextValue.audit.flush();
          } catch (error) {
            contextValue.log.error({ err: error }, 'audit entries could not be written: the answer is withheld');
            response.http.status = 503;
            response.body = { kind: 'single', singleResult: { data: null, errors: [auditUnavailable()] } };
            return;
          }
          if (response.body.kind === 'single') maskResponse(response.body.singleResult.data, contextValue.released);
        },
      };
    },
  };
}

function auditUnavailable() {
  return new GraphQLError('the audit log could not be written, so nothing is answered; retry later', { extensions: { code: 'AUDIT_UNAVAILABLE' } }).toJSON();
}

function requestLogPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.['code'];
            if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
              contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'resolver failed');
            }
          }
        },
        async willSendResponse({ response, operationName, errors }) {
          const statements = contextValue.statements.statements;
          if (contextValue.config.NODE_ENV !== 'production') {
            response.http.headers.set('x-sql-statements', String(statements));
          }
          contextValue.log.info(
            {
              operationName,
              durationMs: Math.round(performance.now() - started),
              sqlStatements: statements,
              errorCodes: errors?.map((e) => e.extensions?.['code']),
            },
            'graphql request',
          );
        },
      };
    },
  };
}

export interface Hub {
  app: express.Express;
  /** verifies bearer tokens; issues JWTs with the hub's key (demo tokens, tests) */
  authenticator: Authenticator;
  httpServer: http.Server;
  apollo: ApolloServer<HubContext>;
  /**
   * Runs an operation in this process as `caller`, under every rule an HTTP request meets (roles,
   * districts, limits, masking, audit): the demo data and the admin command use the API this way.
   */
  execute(query: string, variables: Record<string, unknown> | undefined, caller: Caller): Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;
  listen(port: number, host?: string): Promise<string>;
  /** stops taking requests, lets running ones finish (up to the grace period), then returns */
  stop(): Promise<void>;
}

export interface HubOptions {
  config: Config;
  database: Database;
  logger: Logger;
  /** fixes the working date (tests, demos); defaults to the real date at each request */
  clock?: () => Date;
}

export async function createHub({ config, database, logger, clock = () => new Date() }: HubOptions): Promise<Hub> {
  /** the bureau's calendar day now (BUREAU_TIMEZONE) */
  const today = () => todayIso(clock(), config.BUREAU_TIMEZONE);
  const app = express();
  app.disable('x-powered-by');
  const alertBus = new AlertBus(database, logger.child({ component: 'alert-bus' }));
  await alertBus.start();
  const webhooks = new WebhookDispatcher(
    database.db,
    { timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS },
    logger.child({ component: 'webhooks' }),
  );
  alertBus.onAlert(() => webhooks.kick());
  webhooks.kick(); // deliveries left pending by an earlier run
  const jobs = config.JOBS_ENABLED ? new Jobs(database, config, logger.child({ component: 'jobs' }), clock) : null;
  // process-wide, so a circuit opened by one request protects the next ones
  const liveSources = Object.fromEntries(
    Object.entries(config.agencySources).map(([agency, source]) => [
      agency,
      new LiveSource(connectors[agency as AgencyId], source, logger.child({ agency })),
    ]),
  ) as Partial<Record<AgencyId, LiveSource>>;
  const httpServer = http.createServer(app);
  app.use(routeRequestTimeouts(httpServer, config.REQUEST_TIMEOUT_MS, (path) => path.startsWith('/feeds/')));
  const schema = buildSchema();
  const authenticator = new Authenticator(database.db, {
    secret: config.AUTH_JWT_SECRET ?? randomBytes(32).toString('hex'),
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
  });
  const rateLimiter = new RateLimiterMemory({ points: config.RATE_LIMIT_PER_MINUTE, duration: 60 });
  // per client address, so guessing keys costs a lookup only a few times a minute
  const failedAuth = new RateLimiterMemory({ points: config.AUTH_FAILURES_PER_MINUTE, duration: 60 });
  /** seconds until this address may try again, when it has shown too many refused credentials */
  const authBlocked = async (address: string): Promise<number | null> => {
    const used = await failedAuth.get(address);
    return used && used.consumedPoints >= config.AUTH_FAILURES_PER_MINUTE ? Math.max(1, Math.ceil(used.msBeforeNext / 1000)) : null;
  };
  const authFailed = (address: string) => failedAuth.penalty(address, 1).catch(() => undefined);
  const contextFor = (requestId: string, statements: StatementCounter, caller: Caller | null, purpose: string | null) =>
    createContext({
      database,
      liveSources,
      caller,
      purpose,
      config,
      log: logger.child({ requestId }),
      requestId,
      today: today(),
      statements,
      alertBus,
      jobs,
    });

  const armor = new ApolloArmor({
    maxDepth: { n: config.MAX_QUERY_DEPTH },
    costLimit: { maxCost: config.MAX_QUERY_COST },
    maxAliases: { n: config.MAX_ALIASES },
    // graphql's own parser counts tokens (parseOptions below): armor's token plugin re-parses in a hook
    // Apollo treats as a server fault, answering every syntax error 500 instead of 400
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  }).protect();
  /** one request of this caller, on any transport, against its per-minute budget: why not, when over it */
  const overLimit = async (caller: Caller): Promise<{ message: string; retrySeconds: number } | null> => {
    try {
      await rateLimiter.consume(`${caller.role}:${caller.id}`);
      return null;
    } catch (limited) {
      const retrySeconds = Math.ceil(((limited as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
      return { message: `rate limit: at most ${config.RATE_LIMIT_PER_MINUTE} requests a minute; retry in ${retrySeconds} s`, retrySeconds };
    }
  };

  // GraphQL subscriptions over WebSocket (graphql-ws) on the same port and path
  const lifetimes = new SubscriptionLifetime(authenticator, logger.child({ component: 'subscriptions' }), config.WS_CREDENTIAL_CHECK_SECONDS * 1000);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.MAX_REQUEST_BYTES });
  const wsCleanup = useServer(
    {
      schema,
      // the token travels in the connection's init payload: { authorization: "Bearer …" }
      onConnect: async (ctx) => {
        const address = ctx.extra.request.socket.remoteAddress ?? 'unknown';
        if ((await authBlocked(address)) !== null) return false;
        try {
          const authorization = String(ctx.connectionParams?.['authorization'] ?? '');
          const caller = await authenticator.authenticate(authorization);
          (ctx.extra as { caller?: Caller }).caller = caller;
          lifetimes.watch(ctx.extra.socket, authorization);
          return true;
        } catch (error) {
          if (error instanceof AuthenticationUnavailable) logger.error({ err: error.cause }, 'authentication unavailable');
          else await authFailed(address);
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const caller = (ctx.extra as { caller?: Caller }).caller;
        if (!caller) return [new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        const guarded = await guardSubscription(payload, {
          schema,
          rules: armor.validationRules ?? [],
          introspection: config.NODE_ENV !== 'production',
          maxBytes: config.MAX_REQUEST_BYTES,
          maxTokens: config.MAX_QUERY_TOKENS,
          overLimit: async () => (await overLimit(caller))?.message ?? null,
        });
        return 'schema' in guarded ? { ...guarded, contextValue: contextFor(randomUUID(), { statements: 0 }, caller, null) } : guarded;
      },
      onClose: (ctx) => lifetimes.forget(ctx.extra.socket),
      // each event is masked and audited like an HTTP answer, and goes only to a credential still valid
      onNext: async (ctx, _id, _payload, args, result) => {
        if (!(await lifetimes.check(ctx.extra.socket))) return {}; // the socket is closed: nothing is sent
        const context = args.contextValue as HubContext;
        await context.audit.flush();
        maskResponse(result.data, context.released);
        if (!result.errors?.length) return result;
        // the same faces as over HTTP: no SQL, no resident IDs
        for (const error of result.errors) {
          if (error instanceof GraphQLError && (error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR') === 'INTERNAL_SERVER_ERROR') context.log.error({ err: error.originalError ?? error, path: error.path }, 'subscription event failed');
        }
        return { ...result, errors: result.errors.map((e) => safeError(e instanceof GraphQLError ? e.toJSON() : e)) };
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<HubContext>({
    schema,
    introspection: config.NODE_ENV !== 'production',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.MAX_QUERY_TOKENS },
    validationRules: armor.validationRules,
    formatError: safeError,
    // main.ts owns the signals: it drains the server, then closes the database
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.NODE_ENV === 'development',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.SHUTDOWN_GRACE_MS }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              lifetimes.stop();
              await wsCleanup.dispose();
              await jobs?.stop(config.SHUTDOWN_GRACE_MS);
              await alertBus.stop();
              await webhooks.stop();
            },
          };
        },
      },
      // no HTTP caching of personal data, and its per-field hook costs a tenth of a large page
      ApolloServerPluginCacheControlDisabled(),
      ...(armor.plugins as ApolloServerPlugin<HubContext>[]),
      requestLogPlugin(),
      privacyPlugin(),
    ],
  });
  await apollo.start();
  await jobs?.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await database.ping();
      res.json({ status: 'ready', database: database.kind });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: database.kind });
    }
  });

  const requestId: express.RequestHandler = (req, res, next) => {
    const header = req.get('x-request-id');
    const id = header && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', id);
    res.locals['requestId'] = id;
    next();
  };
  /** every caller shows a bearer token, and no token spends more than its share of requests */
  const authenticate: express.RequestHandler = async (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const blocked = await authBlocked(address);
    if (blocked !== null) {
      res
        .status(429)
        .setHeader('retry-after', String(blocked))
        .json({ errors: [{ message: `too many refused credentials from this address; retry in ${blocked} s`, extensions: { code: 'RATE_LIMITED' } }] });
      return;
    }
    let caller: Caller;
    try {
      caller = await authenticator.authenticate(req.get('authorization'));
    } catch (error) {
      if (error instanceof AuthenticationUnavailable) {
        logger.error({ err: error.cause, requestId: res.locals['requestId'] }, 'authentication unavailable');
        res.status(503).setHeader('retry-after', '5').json({ errors: [{ message: error.message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
        return;
      }
      await authFailed(address);
      const message = error instanceof GraphQLError ? error.message : 'not authenticated';
      res.status(401).setHeader('www-authenticate', 'Bearer').json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    const limited = await overLimit(caller);
    if (limited) {
      res.status(429).setHeader('retry-after', String(limited.retrySeconds)).json({ errors: [{ message: limited.message, extensions: { code: 'RATE_LIMITED' } }] });
      return;
    }
    res.locals['caller'] = caller;
    next();
  };

  app.post('/feeds/:agency/:kind', requestId, authenticate, bulkFeedHandler(database, logger, today, { idleMs: config.FEED_IDLE_TIMEOUT_MS, maxMs: config.FEED_MAX_MS }));
  app.post(
    '/imports/:kind',
    requestId,
    authenticate,
    express.raw({ type: ['text/csv', 'application/x-ndjson', 'application/jsonl'], limit: '20mb' }),
    importHandler(database, logger, IMPORT_ROUTES, today),
  );

  app.use(
    '/graphql',
    requestId,
    authenticate,
    (_req, res, next) => {
      res.locals['statements'] = { statements: 0 } satisfies StatementCounter;
      next();
    },
    express.json({ limit: config.MAX_REQUEST_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        contextFor(
          res.locals['requestId'] as string,
          res.locals['statements'] as StatementCounter,
          res.locals['caller'] as Caller,
          req.get('x-hub-purpose')?.slice(0, 500) || null,
        ),
    }),
  );

  // a body the JSON parser refused (too large, not JSON) is answered as GraphQL errors, not an HTML page
  app.use('/graphql', ((error, _req, res, next) => {
    const status = (error as { status?: number }).status;
    if (!status || status >= 500) return next(error);
    const tooLarge = status === 413;
    res.status(status).json({
      errors: [
        {
          message: tooLarge ? `the request is larger than ${config.MAX_REQUEST_BYTES} bytes` : 'the request body is not valid JSON',
          extensions: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' },
        },
      ],
    });
  }) as express.ErrorRequestHandler);

  return {
    app,
    authenticator,
    httpServer,
    apollo,
    async execute(query, variables, caller) {
      const response = await apollo.executeOperation({ query, variables }, { contextValue: contextFor(randomUUID(), { statements: 0 }, caller, null) });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by the hub');
      return response.body.singleResult;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const { port: bound } = httpServer.address() as AddressInfo;
          resolve(`http://${host === '0.0.0.0' || !host ? 'localhost' : host}:${bound}/graphql`);
        });
      });
    },
    async stop() {
      await apollo.stop();
    },
  };
}
