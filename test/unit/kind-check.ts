// What every kind's unit test checks: its example is accepted, bad records are refused with the
// field and reason a feed reports, and its key, subject and as-of date behave as declared.
import { describe, expect, it } from 'vitest';
import type { RecordKind } from '../../src/agency/connector.js';

/** how a feed reports the first problem of a record (as src/agency/ingest.ts does) */
export function refusal(kind: RecordKind, record: unknown): { field: string | null; reason: string } | null {
  const parsed = kind.schema.safeParse(record);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return { field: issue.keys.join(','), reason: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` };
  return { field: issue.path.length ? issue.path.join('.') : null, reason: issue.message };
}

export interface KindCase {
  /** the example with these fields changed */
  change: Record<string, unknown>;
  field: string;
  reason: string | RegExp;
}

export const BATCH_AS_OF = '2026-11-01';

export function describeKind(kind: RecordKind, refused: KindCase[], options: { asOf?: string; accepted?: Record<string, unknown>[] } = {}) {
  describe(`kind ${kind.kind}`, () => {
    it('accepts its example, and variants of it', () => {
      expect(refusal(kind, kind.example)).toBeNull();
      for (const change of options.accepted ?? []) expect(refusal(kind, { ...kind.example, ...change }), JSON.stringify(change)).toBeNull();
    });

    it.each(refused)('refuses $field: $reason', ({ change, field, reason }) => {
      const r = refusal(kind, { ...kind.example, ...change });
      expect(r?.field).toBe(field);
      expect(r?.reason).toMatch(reason);
    });

    it('refuses a field it does not know, and a record missing a field', () => {
      expect(refusal(kind, { ...kind.example, extra: 1 })).toEqual({ field: 'extra', reason: 'unknown field: extra' });
      const required = Object.keys(kind.schema.shape).find((f) => !kind.schema.shape[f]!.safeParse(undefined).success)!;
      const { [required]: _, ...missing } = kind.example;
      expect(refusal(kind, missing)?.field).toBe(required);
    });

    it('has its key and subject in every record, and holds as of its declared date', () => {
      const record = kind.schema.parse(kind.example);
      for (const field of kind.key) expect(record[field]).not.toBeUndefined();
      expect(['string', 'number']).toContain(typeof record[kind.subject.field]);
      expect(kind.asOf(record, BATCH_AS_OF)).toBe(options.asOf ?? BATCH_AS_OF);
    });
  });
}
