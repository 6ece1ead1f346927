// How long a request's body may take to arrive. Node's own limit (http.Server.requestTimeout, 300 s)
// holds for every route alike and would cut a long feed on a slow link, so it is off and applied
// here per route: ordinary requests keep a whole-request limit, bulk feeds (/feeds) an idle limit
// of their own (src/agency/bulk-http.ts).
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

export function routeRequestTimeouts(server: Server, requestTimeoutMs: number, exempt: (path: string) => boolean): RequestHandler {
  server.requestTimeout = 0;
  return (req, res, next) => {
    if (exempt(req.path) || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (res.headersSent) {
        req.destroy();
        return;
      }
      sendError(res, 'REQUEST_TIMEOUT', `the request did not arrive within ${requestTimeoutMs / 1000} s`, { headers: { connection: 'close' } });
      res.on('finish', () => req.destroy());
    }, requestTimeoutMs);
    const done = () => clearTimeout(timer);
    req.once('end', done);
    req.once('close', done);
    res.once('finish', done);
    next();
  };
}
