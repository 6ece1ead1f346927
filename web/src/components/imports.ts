// What the file-import form decides without the DOM: the file's media type, a batch key to suggest,
// where a refused record sits in the file, and what the hub's answer (or refusal) says.

export interface ImportRejection {
  index: number;
  field: string;
  reason: string;
}

export interface ImportAnswer {
  kind: string;
  batchKey: string;
  status: 'ACCEPTED' | 'PARTIAL' | 'REFUSED';
  replayed: boolean;
  received: number;
  accepted: number;
  rejected: number;
  errors: ImportRejection[];
}

export interface ImportProblem {
  message: string;
  /** the query parameter or input the hub names (batchKey, mode) */
  field?: string | undefined;
  code?: string | undefined;
}

/** NDJSON by its name (.ndjson, .jsonl); anything else is sent as CSV */
export function isNdjson(fileName: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(fileName);
}

export function mediaTypeOf(fileName: string): 'application/x-ndjson' | 'text/csv' {
  return isNdjson(fileName) ? 'application/x-ndjson' : 'text/csv';
}

/** a key a person need not invent: the file's name and the minute (UTC); the same file sent again under it is a replay */
export function suggestedBatchKey(fileName: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const base = fileName.replace(/\.[^.]+$/, '').trim() || 'import';
  return `${base.slice(0, 186)}-${stamp}`;
}

/** the file line of record `index` (0-based): a CSV's header is line 1, so its record 0 is on line 2 */
export function lineOf(index: number, fileName: string): number {
  return index + (isNdjson(fileName) ? 1 : 2);
}

/** the hub's answer to POST /imports/{kind}: a result (200, or 422 when refused whole) or a refusal ({ error }) */
export function readImportAnswer(status: number, text: string): { answer: ImportAnswer } | { problem: ImportProblem } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: { message: `HTTP ${status}`, code: status >= 500 ? 'INTERNAL_SERVER_ERROR' : undefined } };
  }
  const result = body as Partial<ImportAnswer> & { error?: { code?: string; message?: string; field?: string } };
  if (typeof result.received === 'number' && typeof result.status === 'string') return { answer: result as ImportAnswer };
  return { problem: { message: result.error?.message ?? `HTTP ${status}`, field: result.error?.field, code: result.error?.code } };
}
