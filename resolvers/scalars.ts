import { GraphQLScalarType, Kind } from 'graphql';
import { hubError } from '../src/errors.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): string {
  if (typeof value === 'string' && ISO_DATE.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(value)) return value;
  }
  throw hubError('BAD_USER_INPUT', `Date must be a real date YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

export const scalarResolvers = {
  Date: new GraphQLScalarType<string, string>({
    name: 'Date',
    description: 'A calendar date, ISO 8601 YYYY-MM-DD',
    // values come from the database as YYYY-MM-DD already; only inputs need the full check
    serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' && ISO_DATE.test(v) ? v : parseDate(v)),
    parseValue: parseDate,
    parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
  }),
  DateTime: new GraphQLScalarType<Date | string, string>({
    name: 'DateTime',
    serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
    parseValue: (v) => new Date(String(v)),
  }),
  JSON: new GraphQLScalarType<unknown, unknown>({
    name: 'JSON',
    description: 'Any JSON value (output only)',
    serialize: (v) => v,
    parseValue: () => {
      throw hubError('BAD_USER_INPUT', 'JSON is an output type');
    },
  }),
};
