import { describe, expect, it } from 'vitest';
import { maskingPlugin, safeError } from '../../src/http/privacy.js';
import { answerOf, runPlugin } from './plugins.js';

const ID = '11010519491231002X';
const MASKED = '110105********002X';

describe('safeError', () => {
  it('shows a fault of the hub as a generic INTERNAL_SERVER_ERROR, whatever its message said, with the code even where it came without one', () => {
    for (const extensions of [{ code: 'INTERNAL_SERVER_ERROR' }, undefined]) {
      const shown = safeError({ message: 'Failed query: select * from persons', ...(extensions ? { extensions } : {}) });
      expect(shown.message).toMatch(/^internal error \(logged; quote the x-request-id header/);
      expect(shown.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it("masks resident IDs in a refusal's message and keeps its code and field", () => {
    const shown = safeError({ message: `input.residentId: ${ID} is already registered`, extensions: { code: 'CONFLICT', field: 'input.residentId' } });
    expect(shown).toEqual({ message: `input.residentId: ${MASKED} is already registered`, extensions: { code: 'CONFLICT', field: 'input.residentId' } });
  });

  it('keeps only the frames of a stack trace, masked', () => {
    const shown = safeError({
      message: 'x',
      extensions: { code: 'BAD_USER_INPUT', stacktrace: [`GraphQLError: ${ID} bad`, `    at check (/app/${ID}.ts:1:1)`] },
    });
    expect(shown.extensions?.['stacktrace']).toEqual([`    at check (/app/${MASKED}.ts:1:1)`]);
  });
});

describe('masking plugin', () => {
  it('masks resident IDs in the data but under paths released with a purpose', async () => {
    const data = { a: { residentId: ID }, b: { residentId: ID } };
    await runPlugin(maskingPlugin(), { released: new Set(['b']) }, answerOf(data));
    expect(data).toEqual({ a: { residentId: MASKED }, b: { residentId: ID } });
  });
});
