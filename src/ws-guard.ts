// The WebSocket endpoint carries subscriptions only, under the same limits as HTTP: every operation
// is parsed and validated with the same rules (depth, cost, aliases, tokens, introspection in
// production), counted against the caller's rate limit, and refused when its message is too large.
// Queries and mutations go over HTTP, where the request log, statement counts and audit timing live.
import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { ErrorCode, hubError, type ErrorCodeName } from './errors.js';

export interface WsGuardOptions {
  schema: GraphQLSchema;
  /** the validation rules HTTP requests meet beyond graphql's own (GraphQL Armor's) */
  rules: readonly ValidationRule[];
  introspection: boolean;
  maxBytes: number;
  /** the most tokens a document may have (graphql's own parse limit, as HTTP) */
  maxTokens: number;
  /** counts one operation against the caller's budget; resolves to a message when over it */
  overLimit(): Promise<string | null>;
}

const refuse = (message: string, code: ErrorCodeName) => [hubError(code, message)];

/** What graphql-ws's onSubscribe returns: the execution (without context) or the errors that refuse it. */
export async function guardSubscription(
  payload: SubscribePayload,
  options: WsGuardOptions,
): Promise<Omit<ExecutionArgs, 'contextValue'> | readonly GraphQLError[]> {
  const limited = await options.overLimit();
  if (limited) return refuse(limited, 'RATE_LIMITED');
  const bytes = Buffer.byteLength(payload.query) + Buffer.byteLength(JSON.stringify(payload.variables ?? {}));
  if (bytes > options.maxBytes) return refuse(`the operation is larger than ${options.maxBytes} bytes`, 'PAYLOAD_TOO_LARGE');
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: options.maxTokens });
  } catch (error) {
    return [error instanceof GraphQLError ? hubError('GRAPHQL_PARSE_FAILED', error.message) : (error as GraphQLError)];
  }
  const rules = [...specifiedRules, ...options.rules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const errors = validate(options.schema, document, rules);
  if (errors.length)
    return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED } }));
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return refuse('name the operation to run', 'BAD_USER_INPUT');
  if (operation.operation !== 'subscription') return refuse('only subscriptions go over WebSocket: send queries and mutations by HTTP POST', 'BAD_REQUEST');
  return { schema: options.schema, document, operationName: payload.operationName, variableValues: payload.variables };
}
