// Typed errors: every error the API returns carries a code in extensions.code.
import { GraphQLError } from 'graphql';
import type { z } from 'zod';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
} as const;

/** `field` is the path of the offending input, e.g. `input.members[1].residentId`. */
export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field },
  });
}

export function notFound(what: string): GraphQLError {
  return new GraphQLError(`${what} not found`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function conflict(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: ErrorCode.CONFLICT, field } });
}

function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
    prefix,
  );
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
