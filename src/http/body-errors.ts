// A body the JSON parser refused (too large, not JSON) is answered as GraphQL errors, not an HTML page.
import type { ErrorRequestHandler } from 'express';
import { sendError } from '../errors.js';

export function bodyErrors(maxBytes: number): ErrorRequestHandler {
  return (error, _req, res, next) => {
    const status = (error as { status?: number }).status;
    if (!status || status >= 500) return next(error);
    if (status === 413) sendError(res, 'PAYLOAD_TOO_LARGE', `the request is larger than ${maxBytes} bytes`);
    else sendError(res, 'BAD_REQUEST', 'the request body is not valid JSON', { status });
  };
}
