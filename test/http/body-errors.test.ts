import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyErrors } from '../../src/http/body-errors.js';
import { serve, type Served } from './serve.js';

describe('body errors', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve((app) => {
      app.post('/graphql', express.json({ limit: 64 }), (_req, res) => res.json({ ok: true }));
      app.use('/graphql', bodyErrors(64));
    });
  });
  afterAll(() => served.close());

  const post = (body: string) => fetch(`${served.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers a body over the limit 413 PAYLOAD_TOO_LARGE, as GraphQL errors', async () => {
    const res = await post(JSON.stringify({ query: 'x'.repeat(100) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [{ message: 'the request is larger than 64 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('answers a body that is not JSON 400 BAD_REQUEST, not an HTML page', async () => {
    const res = await post('{ not json');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('lets a good body through', async () => {
    expect(await (await post('{"query":"{ x }"}')).json()).toEqual({ ok: true });
  });
});
