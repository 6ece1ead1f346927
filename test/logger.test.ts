import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logs never carry a full resident ID or name', () => {
  it('masks IDs in messages, fields and errors, and names in name fields', () => {
    const { lines, logger } = capture();
    logger.info({ member: { name: '王小明', residentId: '11010519491231002X' } }, 'checked 11010519491231002X');
    logger.error({ err: new Error('duplicate 11010519491231002X') }, 'failed');
    const text = lines.join('');
    expect(text).not.toContain('11010519491231002X');
    expect(text).not.toContain('王小明');
    expect(text).toContain('110105********002X');
    expect(text).toContain('王**');
  });
});
