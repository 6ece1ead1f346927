// Every HTTP answer carries an x-request-id: the caller's own when it is a plain token, else a new
// one, so a client can quote it and the log lines of the request can be found by it.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

export const requestId: RequestHandler = (req, res, next) => {
  const header = req.get('x-request-id');
  const id = header && REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader('x-request-id', id);
  res.locals['requestId'] = id;
  next();
};
