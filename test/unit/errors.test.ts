// One catalogue of error codes: every code the hub's sources give an error is in it, with its HTTP
// status, and the HTTP bodies and feed refusals are built from it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedRefusal } from '../../src/agency/errors.js';
import { BatchKeyReused, FeedConflict, FeedInputError } from '../../src/agency/ingest.js';
import { ERRORS, ErrorCode, hubError, isErrorCode, refusalOf, sendError, sendRouteError } from '../../src/errors.js';
import { serve, type Served } from '../http/serve.js';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** the ways a code reaches an error in the sources: extensions, the catalogue's constructors, refusals, comparisons */
const CODE_PATTERNS = [
  /extensions:\s*\{[^}]*?\bcode:\s*'([A-Z_]+)'/g,
  /\b(?:hubError|sendError|sendRouteError)\(\s*(?:\w+,\s*)?'([A-Z_]+)'/g,
  /\brefuse\([^;]*?'([A-Z_]+)'\)/g,
  /\brefused:\s*'([A-Z_]+)'/g,
  /\['code'\]\s*(?:===|!==|\?\?)\s*'([A-Z_]+)'/g,
];

describe('the error catalogue', () => {
  it('holds every error code the sources use', () => {
    const used = new Map<string, string>();
    for (const file of ['src', 'resolvers', 'connectors'].flatMap(sources)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const pattern of CODE_PATTERNS) for (const [, code] of text.matchAll(pattern)) used.set(code!, file);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('gives each code an error status, a message and when it is met', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(spec.message.length, code).toBeGreaterThan(0);
      expect(spec.when.length, code).toBeGreaterThan(0);
    }
    expect(Object.fromEntries(Object.entries(ERRORS).map(([code, spec]) => [code, spec.status]))).toMatchObject({
      BAD_USER_INPUT: 400,
      BAD_REQUEST: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      REQUEST_TIMEOUT: 408,
      CONFLICT: 409,
      PAYLOAD_TOO_LARGE: 413,
      RATE_LIMITED: 429,
      INTERNAL_SERVER_ERROR: 500,
      AGENCY_UNAVAILABLE: 503,
      SERVICE_UNAVAILABLE: 503,
    });
    expect(ErrorCode.CONFLICT).toBe('CONFLICT');
  });

  it('builds GraphQL errors with the code and the field', () => {
    expect(hubError('CONFLICT', 'input.x: taken', { field: 'input.x' }).toJSON()).toEqual({
      message: 'input.x: taken',
      extensions: { code: 'CONFLICT', field: 'input.x' },
    });
    expect(hubError('FORBIDDEN').message).toBe('forbidden');
  });
});

describe('feed refusals, mapped once for the GraphQL feeds and POST /feeds', () => {
  it('maps bad input, a reused batch key and a concurrent conflict; anything else is not a refusal', () => {
    expect(feedRefusal(new FeedInputError('asOf', 'must be a date'))?.toJSON()).toEqual({
      message: 'asOf: must be a date',
      extensions: { code: 'BAD_USER_INPUT', field: 'asOf' },
    });
    expect(feedRefusal(new BatchKeyReused('k1'))?.extensions).toEqual({ code: 'CONFLICT', field: 'batchKey' });
    expect(feedRefusal(new BatchKeyReused('k1'))?.message).toMatch(/^batchKey: batch key k1 was already used/);
    expect(feedRefusal(new FeedConflict('vehicle'))?.extensions).toEqual({ code: 'CONFLICT', field: 'records' });
    expect(feedRefusal(new Error('Failed query'))).toBeNull();
  });

  it('is answered over HTTP as a refusal; a fault of the hub is not', () => {
    expect(refusalOf(feedRefusal(new BatchKeyReused('k1')))).toMatchObject({ code: 'CONFLICT', field: 'batchKey' });
    expect(refusalOf(new GraphQLError('x', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }))).toBeNull();
    expect(refusalOf(new GraphQLError('x', { extensions: { code: 'NOT_IN_THE_CATALOGUE' } }))).toBeNull();
    expect(refusalOf(new Error('x'))).toBeNull();
  });
});

describe('HTTP error bodies', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve((app) => {
      app.get('/graphql-shape', (_req, res) => sendError(res, 'RATE_LIMITED', 'slow down', { headers: { 'retry-after': '7' } }));
      app.get('/route-shape', (_req, res) => sendRouteError(res, 'BAD_USER_INPUT', 'is required', { field: 'batchKey' }));
      app.get('/media-type', (_req, res) => sendRouteError(res, 'BAD_USER_INPUT', 'send text/csv', { status: 415 }));
    });
  });
  afterAll(() => served.close());

  it("answer GraphQL's shape with the catalogue's status and the headers given", async () => {
    const res = await fetch(`${served.url}/graphql-shape`);
    expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([
      429,
      '7',
      { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] },
    ]);
  });

  it('answer the file routes in their documented shape, the status overridable', async () => {
    const res = await fetch(`${served.url}/route-shape`);
    expect([res.status, await res.json()]).toEqual([400, { error: { code: 'BAD_USER_INPUT', field: 'batchKey', message: 'is required' } }]);
    const media = await fetch(`${served.url}/media-type`);
    expect([media.status, await media.json()]).toEqual([415, { error: { code: 'BAD_USER_INPUT', message: 'send text/csv' } }]);
  });
});
