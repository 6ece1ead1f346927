// The hub's HTTP side: one Node HTTP server (so a WebSocket server can share the port later),
// Express 5 for the plain routes, Apollo Server 5 for /graphql.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { connectors } from '../connectors/index.js';
import type { AgencyId } from './agency/connector.js';
import { bulkFeedHandler } from './agency/bulk-http.js';
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
import { WebSocketServer } from 'ws';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

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
  httpServer: http.Server;
  apollo: ApolloServer<HubContext>;
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
  const schema = buildSchema();
  const contextFor = (requestId: string, statements: StatementCounter) =>
    createContext({
      database,
      liveSources,
      caller: 'anonymous',
      config,
      log: logger.child({ requestId }),
      requestId,
      today: todayIso(clock()),
      statements,
      alertBus,
      jobs,
    });

  // GraphQL subscriptions over WebSocket (graphql-ws) on the same port and path
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer({ schema, context: () => contextFor(randomUUID(), { statements: 0 }) }, wsServer);

  const apollo = new ApolloServer<HubContext>({
    schema,
    introspection: config.NODE_ENV !== 'production',
    // main.ts owns the signals: it drains the server, then closes the database
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.NODE_ENV === 'development',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.SHUTDOWN_GRACE_MS }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
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
      requestLogPlugin(),
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

  app.post('/feeds/:agency/:kind', bulkFeedHandler(database, logger, clock));

  app.use(
    '/graphql',
    (req, res, next) => {
      const header = req.get('x-request-id');
      const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
      res.setHeader('x-request-id', requestId);
      const statements: StatementCounter = { statements: 0 };
      res.locals['requestId'] = requestId;
      res.locals['statements'] = statements;
      next();
    },
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        ...contextFor(res.locals['requestId'] as string, res.locals['statements'] as StatementCounter),
        caller: req.get('x-hub-user')?.slice(0, 100) || 'anonymous',
      }),
    }),
  );

  return {
    app,
    httpServer,
    apollo,
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
