// A request whose body does not arrive in time is answered 408 REQUEST_TIMEOUT and its connection
// closed; an exempt route (the bulk feeds, which keep an idle limit of their own) is left alone.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRequestTimeouts } from '../../src/request-timeout.js';

describe('request timeouts per route', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    const app = express();
    server = http.createServer(app);
    app.use(routeRequestTimeouts(server, 300, (path) => path.startsWith('/feeds/')));
    app.post('/{*any}', express.text(), (_req, res) => res.json({ ok: true }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** sends the headers and half the body, then waits: what the server answers within `waitMs` */
  function slowPost(path: string, waitMs: number): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 10\r\n\r\nhalf`);
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.on('close', () => resolve(answer));
      setTimeout(() => {
        socket.destroy();
        resolve(answer);
      }, waitMs);
    });
  }

  it('answers 408 REQUEST_TIMEOUT in GraphQL shape and closes the connection', async () => {
    const answer = await slowPost('/graphql', 2_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('{"errors":[{"message":"the request did not arrive within 0.3 s","extensions":{"code":"REQUEST_TIMEOUT"}}]}');
  });

  it('leaves an exempt route waiting for its body', async () => {
    expect(await slowPost('/feeds/utilities/reading', 800)).toBe('');
  });
});
