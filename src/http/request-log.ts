// One log line per GraphQL request (operation, duration, SQL statements, error codes), and the detail
// of every fault of the hub, which the caller sees only as INTERNAL_SERVER_ERROR (privacy.ts).
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { HubContext } from '../context.js';
import type { StatementCounter } from '../db/client.js';

/** starts the request's statement count, which its context's database handle adds to */
export const countStatements: RequestHandler = (_req, res, next) => {
  res.locals['statements'] = { statements: 0 } satisfies StatementCounter;
  next();
};

export function requestLogPlugin(): ApolloServerPlugin<HubContext> {
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
