// Typed errors: every error the API returns carries a code in extensions.code, and every code is in
// one catalogue with the HTTP status it answers with, so GraphQL, the bulk feeds and the plain HTTP
// routes cannot drift apart (the README lists the codes from here).
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import type { z } from 'zod';

export interface ErrorSpec {
  /** the HTTP status when the error is the whole answer (an HTTP route, or a request GraphQL refuses as a whole) */
  status: number;
  /** the message when the caller is told nothing more specific */
  message: string;
  /** when a caller meets it (for the README) */
  when: string;
}

export const ERRORS = {
  BAD_USER_INPUT: { status: 400, message: 'the input is not valid', when: 'an argument, a query parameter or a file is refused; `extensions.field` names it' },
  BAD_REQUEST: { status: 400, message: 'the request is not valid', when: 'the body is not JSON, or a query or mutation is sent over WebSocket' },
  GRAPHQL_PARSE_FAILED: {
    status: 400,
    message: 'the operation is not valid GraphQL',
    when: 'the document does not parse, or has more tokens than `MAX_QUERY_TOKENS`',
  },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    message: 'the operation does not fit the schema',
    when: 'unknown fields, or over a GraphQL Armor limit (depth, cost, aliases, directives)',
  },
  OPERATION_RESOLUTION_FAILURE: { status: 400, message: 'name the operation to run', when: 'a document with several operations and no operation name' },
  UNAUTHENTICATED: { status: 401, message: 'not authenticated', when: 'no bearer token, or one that is expired, revoked or not the hub’s' },
  FORBIDDEN: { status: 403, message: 'forbidden', when: 'the caller’s role, districts or agency do not cover what it asked for' },
  NOT_FOUND: { status: 404, message: 'not found', when: 'no such record, feed or import kind' },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'the request did not arrive in time',
    when: 'the body took longer than `REQUEST_TIMEOUT_MS`, or a feed’s went quiet (`FEED_IDLE_TIMEOUT_MS`, `FEED_MAX_MS`); nothing was stored',
  },
  CONFLICT: { status: 409, message: 'conflict', when: 'the record changed meanwhile, a unique key is taken, or a batch key was used for other content' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the request is too large', when: 'a body over `MAX_REQUEST_BYTES`, or an import with too many records' },
  RATE_LIMITED: {
    status: 429,
    message: 'too many requests',
    when: 'over `RATE_LIMIT_PER_MINUTE`, or too many refused credentials from one address; `retry-after` says when',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    message: 'internal error (logged; quote the x-request-id header when reporting it)',
    when: 'a fault of the hub; the detail is only in its log',
  },
  AGENCY_UNAVAILABLE: {
    status: 503,
    message: 'the agency is unavailable',
    when: 'a live agency call failed, timed out or its circuit is open (on the one field that needed it)',
  },
  AUDIT_UNAVAILABLE: {
    status: 503,
    message: 'the audit log could not be written, so nothing is answered; retry later',
    when: 'what the request read could not be logged (KC-35): no data is answered',
  },
  JOBS_DISABLED: {
    status: 503,
    message: 'this hub instance runs no jobs (JOBS_ENABLED=false)',
    when: 'a review is asked of an instance with `JOBS_ENABLED=false`',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'the service is unavailable; try again shortly',
    when: 'credentials cannot be checked (the database is down); `retry-after` says when',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCodeName = keyof typeof ERRORS;

/** the codes by name, for comparisons (`ErrorCode.CONFLICT`) */
export const ErrorCode = Object.fromEntries(Object.keys(ERRORS).map((code) => [code, code])) as { readonly [C in ErrorCodeName]: C };

export function isErrorCode(code: unknown): code is ErrorCodeName {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** A GraphQL error of the catalogue; `field` is the path of the offending input, more extensions as given. */
export function hubError(
  code: ErrorCodeName,
  message: string = ERRORS[code].message,
  extensions: { field?: string; [key: string]: unknown } = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** `field` is the path of the offending input, e.g. `input.members[1].residentId`. */
export function badUserInput(field: string, message: string): GraphQLError {
  return hubError('BAD_USER_INPUT', `${field}: ${message}`, { field });
}

export function notFound(what: string): GraphQLError {
  return hubError('NOT_FOUND', `${what} not found`);
}

export function conflict(field: string, message: string): GraphQLError {
  return hubError('CONFLICT', `${field}: ${message}`, { field });
}

export interface HttpErrorOptions {
  /** the input it is about */
  field?: string | undefined;
  /** where the route answers otherwise than the catalogue (415 for a media type the route does not read) */
  status?: number;
  headers?: Record<string, string>;
}

function answer(res: Response, code: ErrorCodeName, { status, headers }: HttpErrorOptions): Response {
  res.status(status ?? ERRORS[code].status);
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  return res;
}

/** An HTTP answer in GraphQL's shape, `{ errors: [{ message, extensions: { code } }] }`, with the catalogue's status. */
export function sendError(res: Response, code: ErrorCodeName, message: string = ERRORS[code].message, options: HttpErrorOptions = {}): void {
  const extensions = options.field === undefined ? { code } : { code, field: options.field };
  answer(res, code, options).json({ errors: [{ message, extensions }] });
}

/** The answer of the file routes (POST /feeds, /imports) as docs/agency-api.md gives it: `{ error: { code, field, message } }`. */
export function sendRouteError(res: Response, code: ErrorCodeName, message: string = ERRORS[code].message, options: HttpErrorOptions = {}): void {
  answer(res, code, options).json({ error: { code, ...(options.field === undefined ? {} : { field: options.field }), message } });
}

/** A refusal a service threw as a GraphQL error of the catalogue (not a fault of the hub), for an HTTP route to answer. */
export function refusalOf(error: unknown): { code: ErrorCodeName; message: string; field: string | undefined } | null {
  if (!(error instanceof GraphQLError)) return null;
  const code = error.extensions['code'];
  if (!isErrorCode(code) || ERRORS[code].status >= 500) return null;
  const field = error.extensions['field'];
  return { code, message: error.message, field: typeof field === 'string' ? field : undefined };
}

function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), prefix);
}

/** Parses input with a zod schema; the first problem becomes BAD_USER_INPUT naming its field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, prefix = 'input'): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = fieldPath(prefix, issue.path);
  const error = badUserInput(field, issue.message);
  error.extensions['problems'] = result.error.issues.map((i) => ({ field: fieldPath(prefix, i.path), message: i.message }));
  throw error;
}
