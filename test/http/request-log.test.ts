import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { requestLogPlugin } from '../../src/http/request-log.js';
import { createLogger } from '../../src/logger.js';
import { answerOf, runPlugin } from './plugins.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('request log', () => {
  it('logs one line per request with its statements and error codes, and the detail of faults only', async () => {
    const { lines, log } = capture();
    const fault = new GraphQLError('boom', { originalError: new Error('Failed query: select 11010519491231002X') });
    const refusal = new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
    const answer = await runPlugin(requestLogPlugin(), { log, statements: { statements: 3 }, config: { NODE_ENV: 'development' } as never }, answerOf(null), [
      fault,
      refusal,
    ]);
    expect(lines.map((l) => l['msg'])).toEqual(['resolver failed', 'graphql request']);
    expect(JSON.stringify(lines[0])).not.toContain('11010519491231002X');
    expect(lines[1]).toMatchObject({ operationName: 'Op', sqlStatements: 3, errorCodes: [null, 'FORBIDDEN'] });
    expect(answer.http.headers.get('x-sql-statements')).toBe('3');
  });

  it('sends no x-sql-statements header in production', async () => {
    const { log } = capture();
    const answer = await runPlugin(requestLogPlugin(), { log, statements: { statements: 1 }, config: { NODE_ENV: 'production' } as never }, answerOf({}));
    expect(answer.http.headers.has('x-sql-statements')).toBe(false);
  });
});
