// The programme screens' logic without a browser: the file import's media type, suggested batch key,
// line numbers and reading of the hub's answer; the waitlist's rank sentence and band labels.
import { describe, expect, it } from 'vitest';
import { lineOf, mediaTypeOf, readImportAnswer, suggestedBatchKey } from '../../web/src/components/imports.js';
import { bandKey, rankReason, type RankFacts } from '../../web/src/pages/waitlist/rank.js';

describe('file import', () => {
  it('sends .ndjson and .jsonl as NDJSON, anything else as CSV, and numbers lines as the file does', () => {
    expect(mediaTypeOf('units.ndjson')).toBe('application/x-ndjson');
    expect(mediaTypeOf('PAYMENTS.JSONL')).toBe('application/x-ndjson');
    expect(mediaTypeOf('units.csv')).toBe('text/csv');
    expect(mediaTypeOf('bank-export')).toBe('text/csv');
    expect(lineOf(0, 'units.csv')).toBe(2); // under the header row
    expect(lineOf(4, 'units.csv')).toBe(6);
    expect(lineOf(0, 'units.ndjson')).toBe(1);
  });

  it('suggests a batch key from the file name and the minute, within the 200 characters the hub takes', () => {
    const now = new Date('2026-11-23T09:05:31Z');
    expect(suggestedBatchKey('stock 2026.csv', now)).toBe('stock 2026-202611230905');
    expect(suggestedBatchKey('.csv', now)).toBe('import-202611230905');
    expect(suggestedBatchKey(`${'x'.repeat(300)}.csv`, now).length).toBeLessThanOrEqual(200);
  });

  it('reads a result, a refusal naming its field, and a body that is not JSON', () => {
    const result = { kind: 'UNITS', batchKey: 'k', mode: 'KEEP_VALID', status: 'PARTIAL', replayed: false, received: 2, accepted: 1, rejected: 1, errors: [] };
    expect(readImportAnswer(200, JSON.stringify(result))).toEqual({ answer: result });
    expect(readImportAnswer(422, JSON.stringify({ ...result, status: 'REFUSED', accepted: 0 }))).toMatchObject({ answer: { status: 'REFUSED' } });
    expect(readImportAnswer(409, JSON.stringify({ error: { code: 'CONFLICT', field: 'batchKey', message: 'batch key k was already used' } }))).toEqual({
      problem: { code: 'CONFLICT', field: 'batchKey', message: 'batch key k was already used' },
    });
    expect(readImportAnswer(502, '<html>Bad gateway</html>')).toEqual({ problem: { message: 'HTTP 502', code: 'INTERNAL_SERVER_ERROR' } });
  });
});

describe('waitlist rank sentence', () => {
  const at = (rank: number, orderedBy: RankFacts['orderedBy'], points: number, applicationDate: string, name: string): RankFacts => ({
    rank,
    orderedBy,
    points,
    applicationDate,
    name,
  });
  const first = at(1, 'FIRST', 35, '2026-02-01', '李**');
  const second = at(2, 'FEWER_POINTS', 24, '2025-08-01', '孙**');

  it('quotes the household above as the API’s rule compares them', () => {
    expect(rankReason(first, undefined)).toEqual({ key: 'waitlist.order.FIRST', values: { points: 35 } });
    expect(rankReason(second, first)).toEqual({ key: 'waitlist.order.FEWER_POINTS', values: { points: 24, rank: 1, name: '李**', abovePoints: 35 } });
    expect(rankReason(at(3, 'LATER_APPLICATION', 24, '2025-10-01', '钱**'), second)).toEqual({
      key: 'waitlist.order.LATER_APPLICATION',
      values: { points: 24, rank: 2, name: '孙**', date: '2025-10-01', aboveDate: '2025-08-01' },
    });
    expect(rankReason(at(4, 'LATER_REGISTRATION', 24, '2025-10-01', '周**'), at(3, 'LATER_APPLICATION', 24, '2025-10-01', '钱**'))).toEqual({
      key: 'waitlist.order.LATER_REGISTRATION',
      values: { points: 24, rank: 3, name: '钱**', date: '2025-10-01' },
    });
  });

  it('claims no comparison without the household above', () => {
    expect(rankReason(second, undefined)).toEqual({ key: 'waitlist.order.FIRST', values: { points: 24 } });
  });

  it('labels a band by its parameter code', () => {
    expect(bandKey('POINTS.AREA_2_TO_4')).toBe('waitlist.code.AREA_2_TO_4');
    expect(bandKey('DISABILITY_1')).toBe('waitlist.code.DISABILITY_1');
  });
});
