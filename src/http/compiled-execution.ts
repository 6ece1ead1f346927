// Queries and mutations run compiled (graphql-jit) instead of through graphql-js's interpreter: a page
// of 100 households is ~17,000 field executions, and graphql-js allocates an info, a path and an
// arguments object for each; compiled, a field without a resolver is a property read. Apollo Server 5
// has no executor option, only its gateway interface, which this module implements over the hub's own
// schema: Apollo still parses, validates (GraphQL Armor's limits included), runs every plugin and formats
// every error. The resolvers are the same functions, access rules (src/auth/authorize.ts) included.
// Subscriptions stay on graphql-js (src/http/subscriptions.ts).
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type SchemaListener = Parameters<Gateway['onSchemaLoadOrUpdate']>[0];

/** a gateway that serves one fixed schema by compiled execution */
export function compiledExecution(schema: GraphQLSchema): Gateway {
  // Apollo keeps one parsed document per distinct query (its document store): compiled once per document and operation
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const listeners = new Set<SchemaListener>();
  const compile = (document: DocumentNode, operationName: string | undefined) => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    let query = byOperation.get(key);
    if (!query) byOperation.set(key, (query = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true })));
    return query;
  };
  return {
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
      return {
        schema,
        executor: async ({ document, operation, operationName, request, context }) => {
          const query = compile(document, operationName ?? undefined);
          // a document graphql-jit cannot compile answers as graphql-js would: with the errors, no data
          if (!isCompiledQuery(query)) return query;
          const variables = request.variables ?? {};
          const result = await query.query(undefined, context, variables);
          if (result.data === undefined && result.errors?.length) {
            // variables refused: graphql-js's own errors, which Apollo answers as BAD_USER_INPUT naming the variable
            const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], variables);
            if (coerced.errors) return { errors: coerced.errors };
          }
          return result;
        },
      };
    },
    async stop() {
      listeners.clear();
    },
  };
}
