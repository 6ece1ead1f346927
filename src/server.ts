// The hub's HTTP side: one Node HTTP server (GraphQL over HTTP and WebSocket share the port), Express 5
// for the plain routes, Apollo Server 5 for /graphql. Each concern is a module of src/http/; this file
// only composes them.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { connectors } from '../connectors/index.js';
import type { AgencyId } from './agency/connector.js';
import { bulkFeedHandler } from './agency/bulk-http.js';
import { LiveSource } from './agency/live.js';
import { Authenticator, type Caller } from './auth/caller.js';
import type { Config } from './config.js';
import { createContext, type HubContext } from './context.js';
import type { Database, StatementCounter } from './db/client.js';
import { RecentWriters, SharedRecentWriters, type WriteMemory } from './db/replicas.js';
import { AlertBus } from './detection/bus.js';
import { checkRuleParameters } from './detection/rule-parameters.js';
import { WebhookDispatcher } from './detection/webhooks.js';
import { todayIso } from './domain/working-days.js';
import { createApollo, hubArmor } from './http/apollo.js';
import { Gate, prepareSharedLimits, SHARED_LIMITS_TABLE } from './http/authenticate.js';
import { bodyErrors } from './http/body-errors.js';
import { isGatewaySigned, type RequestParams } from './http/gateway-signature.js';
import { healthRoutes } from './http/health.js';
import { countStatements } from './http/request-log.js';
import { requestId } from './http/request-id.js';
import { serveSubscriptions } from './http/subscriptions.js';
import { webRoutes } from './http/web.js';
import { importHandler } from './imports/http.js';
import { IMPORT_ROUTES } from './imports/routes.js';
import { Jobs } from './jobs/index.js';
import type { Logger } from './logger.js';
import { routeRequestTimeouts } from './request-timeout.js';
import { buildSchema } from './schema.js';

export { safeError } from './http/privacy.js';

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
  execute(
    query: string,
    variables: Record<string, unknown> | undefined,
    caller: Caller,
  ): Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;
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
  // before anything starts: detection must not run on thresholds the policy lacks
  await checkRuleParameters(database.db, today());
  const background = await startBackground(config, database, logger, clock);
  const liveSources = openLiveSources(config, logger);
  const contextFor = (requestId: string, statements: StatementCounter, caller: Caller | null, purpose: string | null, gatewaySigned = false) =>
    createContext({
      database,
      liveSources,
      caller,
      purpose,
      gatewaySigned,
      config,
      log: logger.child({ requestId }),
      requestId,
      today: today(),
      statements,
      alertBus: background.alertBus,
      jobs: background.jobs,
    });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  app.use(routeRequestTimeouts(httpServer, config.REQUEST_TIMEOUT_MS, (path) => path.startsWith('/feeds/')));
  const schema = buildSchema();
  const secret = config.AUTH_JWT_SECRET ?? randomBytes(32).toString('hex');
  const authenticator = new Authenticator(database.db, { secret, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  // on PostgreSQL every instance counts against one budget per caller
  const limitsStore = database.shared ? await prepareSharedLimits(database.shared) : undefined;
  const limits = { perMinute: config.RATE_LIMIT_PER_MINUTE, failuresPerMinute: config.AUTH_FAILURES_PER_MINUTE };
  const gate = new Gate(authenticator, limits, logger, limitsStore);
  const armor = hubArmor(config);
  const rules = armor.validationRules ?? [];
  const stopSubscriptions = serveSubscriptions({
    httpServer,
    schema,
    rules,
    config,
    gate,
    logger,
    contextFor: (caller, signed) => contextFor(randomUUID(), { statements: 0 }, caller, null, signed),
  });
  const apollo = createApollo({
    schema,
    armor,
    config,
    httpServer,
    onDrain: () => stopSubscriptions().then(background.stop),
    plugins: database.replicas ? [readsOnReplicas(writeMemory(config, limitsStore))] : [],
  });
  await apollo.start();
  await background.jobs?.start();

  app.use(healthRoutes(database, logger));
  const feedTimeouts = { idleMs: config.FEED_IDLE_TIMEOUT_MS, maxMs: config.FEED_MAX_MS };
  app.post('/feeds/:agency/:kind', requestId, gate.middleware, bulkFeedHandler(database, logger, today, feedTimeouts));
  const importBody = express.raw({ type: ['text/csv', 'application/x-ndjson', 'application/jsonl'], limit: '20mb' });
  app.post('/imports/:kind', requestId, gate.middleware, importBody, importHandler(database, logger, IMPORT_ROUTES, today));
  const graphqlContext = expressMiddleware(apollo, {
    context: async ({ req, res }) =>
      contextFor(
        res.locals['requestId'] as string,
        res.locals['statements'] as StatementCounter,
        res.locals['caller'] as Caller,
        req.get('x-hub-purpose')?.slice(0, 500) || null,
        isGatewaySigned(config.GATEWAY_HMAC_SECRET, req.body as RequestParams),
      ),
  });
  app.use('/graphql', requestId, gate.middleware, countStatements, express.json({ limit: config.MAX_REQUEST_BYTES }), graphqlContext);
  app.use('/graphql', bodyErrors(config.MAX_REQUEST_BYTES));
  app.use(webRoutes({ db: database.db, authenticator, demoSignIn: config.NODE_ENV !== 'production', logger }));

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
    listen: (port, host) => listen(httpServer, port, host),
    stop: () => apollo.stop(),
  };
}

/**
 * Where a request's reads go (DATABASE_REPLICA_URLS): a query's to a replica, unless its caller made a
 * mutation in the last DATABASE_READ_YOUR_WRITES_SECONDS (then the primary, which has the write); a
 * mutation's, selection included, to the primary. Subscriptions never pass here: their contexts, and
 * so their reads, stay on the primary, which has the alert they deliver. Feeds, imports, jobs,
 * authentication and the audit log use the primary handle (Database.db) whatever the request.
 */
function readsOnReplicas(recent: WriteMemory): ApolloServerPlugin<HubContext> {
  const callerOf = (ctx: HubContext) => (ctx.caller ? `${ctx.caller.role}:${ctx.caller.id}` : 'anonymous');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'query') contextValue.statements.readReplica = !(await recent.recentlyWrote(callerOf(contextValue)));
          // a write the memory misses costs the caller only a stale read: never the mutation
          else if (operation?.operation === 'mutation') await Promise.resolve(recent.wrote(callerOf(contextValue))).catch(() => undefined);
        },
        async willSendResponse({ operation, contextValue }) {
          // the window runs from the write's commit, not from its start
          if (operation?.operation === 'mutation') await Promise.resolve(recent.wrote(callerOf(contextValue))).catch(() => undefined);
        },
      };
    },
  };
}

/** who wrote lately: on PostgreSQL beside the shared rate limits, so it holds across instances */
function writeMemory(config: Config, shared: Database['shared']): WriteMemory {
  const windowMs = config.DATABASE_READ_YOUR_WRITES_SECONDS * 1000;
  return shared ? new SharedRecentWriters(shared, SHARED_LIMITS_TABLE, windowMs) : new RecentWriters(windowMs);
}

/** What the hub runs beside answering requests: the alert bus, webhook deliveries, and (where enabled) the job queue. */
async function startBackground(config: Config, database: Database, logger: Logger, clock: () => Date) {
  const alertBus = new AlertBus(database, logger.child({ component: 'alert-bus' }));
  await alertBus.start();
  const webhookOptions = { timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS };
  const webhooks = new WebhookDispatcher(database.db, webhookOptions, logger.child({ component: 'webhooks' }));
  alertBus.onAlert(() => webhooks.kick());
  webhooks.kick(); // deliveries left pending by an earlier run
  const jobs = config.JOBS_ENABLED ? new Jobs(database, config, logger.child({ component: 'jobs' }), clock) : null;
  return {
    alertBus,
    jobs,
    async stop() {
      await jobs?.stop(config.SHUTDOWN_GRACE_MS);
      await alertBus.stop();
      await webhooks.stop();
    },
  };
}

/** process-wide, so a circuit opened by one request protects the next ones */
function openLiveSources(config: Config, logger: Logger): Partial<Record<AgencyId, LiveSource>> {
  return Object.fromEntries(
    Object.entries(config.agencySources).map(([agency, source]) => [agency, new LiveSource(connectors[agency as AgencyId], source, logger.child({ agency }))]),
  ) as Partial<Record<AgencyId, LiveSource>>;
}

function listen(httpServer: http.Server, port: number, host?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      const { port: bound } = httpServer.address() as AddressInfo;
      resolve(`http://${host === '0.0.0.0' || !host ? 'localhost' : host}:${bound}/graphql`);
    });
  });
}
