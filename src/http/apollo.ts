// Apollo Server for /graphql: GraphQL Armor's limits, safe error faces, and the plugins each request
// passes through (request log, audit before the answer, masking).
import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { HubContext } from '../context.js';
import { auditPlugin } from './audit.js';
import { compiledExecution } from './compiled-execution.js';
import { maskingPlugin, safeError } from './privacy.js';
import { requestLogPlugin } from './request-log.js';

export type HubArmor = ReturnType<ApolloArmor['protect']>;

export function hubArmor(config: Config): HubArmor {
  return new ApolloArmor({
    maxDepth: { n: config.MAX_QUERY_DEPTH },
    costLimit: { maxCost: config.MAX_QUERY_COST },
    maxAliases: { n: config.MAX_ALIASES },
    // graphql's own parser counts tokens (parseOptions below): armor's token plugin re-parses in a hook
    // Apollo treats as a server fault, answering every syntax error 500 instead of 400
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: config.NODE_ENV === 'production' },
  }).protect();
}

export interface ApolloOptions {
  schema: GraphQLSchema;
  armor: HubArmor;
  config: Config;
  httpServer: http.Server;
  /** stops what the hub runs beside requests, once running requests have finished */
  onDrain(): Promise<void>;
  /** more plugins, run after the hub's own (server.ts: where reads go) */
  plugins?: ApolloServerPlugin<HubContext>[];
}

export function createApollo({ schema, armor, config, httpServer, onDrain, plugins = [] }: ApolloOptions): ApolloServer<HubContext> {
  return new ApolloServer<HubContext>({
    gateway: compiledExecution(schema),
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
      { serverWillStart: async () => ({ drainServer: onDrain }) },
      // no HTTP caching of personal data, and its per-field hook costs a tenth of a large page
      ApolloServerPluginCacheControlDisabled(),
      // a subgraph would otherwise add Apollo's ftv1 trace on request: errors unmasked, outside the masking pass
      ApolloServerPluginInlineTraceDisabled(),
      ...(armor.plugins as ApolloServerPlugin<HubContext>[]),
      requestLogPlugin(),
      auditPlugin(),
      maskingPlugin(),
      ...plugins,
    ],
  });
}
