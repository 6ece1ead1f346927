import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestId } from '../../src/http/request-id.js';
import { serve, type Served } from './serve.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request id', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve((app) => app.get('/', requestId, (_req, res) => res.json({ id: res.locals['requestId'] })));
  });
  afterAll(() => served.close());

  const ask = async (header?: string) => {
    const res = await fetch(served.url, { headers: header === undefined ? {} : { 'x-request-id': header } });
    return { header: res.headers.get('x-request-id'), seen: ((await res.json()) as { id: string }).id };
  };

  it("keeps the caller's id when it is a plain token, in the header and for the request's log", async () => {
    expect(await ask('trace-42.a:b_c')).toEqual({ header: 'trace-42.a:b_c', seen: 'trace-42.a:b_c' });
  });

  it('replaces an id that is not a plain token, or too long, with a new one', async () => {
    for (const header of ['has spaces', '<script>', 'x'.repeat(101)]) {
      const { header: answered, seen } = await ask(header);
      expect(answered).toMatch(UUID);
      expect(seen).toBe(answered);
    }
  });

  it('gives each request without one its own id', async () => {
    const [a, b] = [await ask(), await ask()];
    expect(a.header).toMatch(UUID);
    expect(a.header).not.toBe(b.header);
  });
});
