// KC-35: every read of a person's or household's agency data, every look at a household's members
// and housing, and every change, is recorded. A request collects what it read and did and writes it
// in one INSERT before it answers (the answer waits for it: no entry, no data).
import { and, count, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { decodeCursor, pageOf, pageSize } from '../db/batch.js';
import { parseInput } from '../errors.js';
import { maskName, maskResidentIdsIn } from '../domain/resident-id.js';
import { maskCertificateNo } from '../households/difficulties.js';
import type { Caller } from './caller.js';
import { auditLog } from './tables.js';

type Subject = string | number;

interface ActionEntry {
  action: string;
  householdId: number | null;
  subject: string | null;
  purpose: string | null;
  detail: unknown;
}

export class AuditTrail {
  /** subject → agencies whose data about it this request read */
  private readonly reads = new Map<Subject, Set<string>>();
  private readonly actions: ActionEntry[] = [];
  /** household → the personal fields (Type.field) this request showed of it or its members */
  private readonly views = new Map<number, Set<string>>();

  constructor(
    private readonly db: Db,
    private readonly requestId: string,
    private readonly caller: Caller | null,
    /** the purpose the caller stated for the request (x-hub-purpose), if any */
    private readonly purpose: string | null,
  ) {}

  read(agency: string, subject: Subject): void {
    let agencies = this.reads.get(subject);
    if (!agencies) this.reads.set(subject, (agencies = new Set()));
    agencies.add(agency);
  }

  /** a household's or its members' personal data (names, IDs, housing) shown: one VIEW entry per household */
  viewed(householdId: number, field: string): void {
    let fields = this.views.get(householdId);
    if (!fields) this.views.set(householdId, (fields = new Set()));
    fields.add(field);
  }

  /** `detail` is kept only as `auditDetail` leaves it: no secrets, resident IDs and names masked */
  record(action: string, entry: Partial<Omit<ActionEntry, 'action'>> = {}): void {
    this.actions.push({
      action,
      householdId: entry.householdId ?? null,
      subject: entry.subject ?? null,
      purpose: entry.purpose ?? this.purpose,
      detail: entry.detail == null ? null : auditDetail(entry.detail),
    });
  }

  /** writes what was collected, in one statement; households are found from the subjects in SQL */
  async flush(): Promise<void> {
    const caller = this.caller;
    if (!caller || (this.reads.size === 0 && this.actions.length === 0 && this.views.size === 0)) return;
    const rows = [
      ...[...this.views].map(([householdId, fields]) => ({
        action: 'VIEW',
        household_id: householdId,
        subject: null,
        agencies: null,
        purpose: this.purpose,
        detail: { fields: [...fields].sort() },
        unit: false,
      })),
      ...[...this.reads].map(([subject, agencies]) => ({
        action: 'READ',
        household_id: null,
        subject: String(subject),
        agencies: [...agencies].sort(),
        purpose: this.purpose,
        detail: null,
        unit: typeof subject === 'number',
      })),
      ...this.actions.map((a) => ({
        action: a.action,
        household_id: a.householdId,
        subject: a.subject,
        agencies: null,
        purpose: a.purpose,
        detail: a.detail,
        unit: false,
      })),
    ];
    this.reads.clear();
    this.actions.length = 0;
    this.views.clear();
    // audit_write (drizzle/0014_audit_write.sql): the INSERT with its plan kept, each entry's household found from its subject
    await this.db.execute(sql`select audit_write(${this.requestId}, ${caller.id}, ${caller.role}, ${JSON.stringify(rows)}::jsonb)`);
  }
}

/** never kept, whatever operation names them: whoever reads the log could use them */
const SECRET_KEY = /secret|token|password|passphrase|api_?key|private_?key|credential|signature/i;
/** people's names, masked as the API shows them (张**) */
const NAME_KEYS = new Set(['fullName', 'personName', 'headName', 'reporterName', 'memberName']);
/** `name` is a person's in an object that describes one; a district's or an API key's stays readable */
const PERSON_KEYS = ['residentId', 'birthDate', 'relation', 'sex'];
/** personal data of people outside the programme (a reporter's contact, KC-37) is not kept at all */
const WITHHELD_KEYS = new Set(['reporterContact', 'contact', 'phone', 'email']);
const MAX_DETAIL = 4_000;

/**
 * What the log keeps of an entry's detail (mutation arguments, import summaries): the one place
 * that shapes it, at write time. Secrets are dropped, names and resident IDs masked, other personal
 * contact data withheld, feed record lists counted, and the whole cut to a few kilobytes.
 */
export function auditDetail(detail: unknown): unknown {
  const out = scrub(detail, 0);
  const text = JSON.stringify(out);
  return text.length > MAX_DETAIL ? { truncated: text.slice(0, MAX_DETAIL) } : out;
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskResidentIdsIn(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  const person = PERSON_KEYS.some((k) => k in value);
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (WITHHELD_KEYS.has(key) && v !== null) out[key] = '[withheld]';
    else if ((NAME_KEYS.has(key) || (person && key === 'name')) && typeof v === 'string') out[key] = maskName(v);
    // a disability certificate's number is its holder's resident ID and two digits: masked as the API shows it
    else if (key === 'certificateNo' && typeof v === 'string') out[key] = maskCertificateNo(v);
    else if (key === 'records' && depth === 0 && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[key] = Object.fromEntries(Object.entries(v).map(([kind, list]) => [kind, Array.isArray(list) ? list.length : 0]));
    } else out[key] = scrub(v, depth + 1);
  }
  return out;
}

const auditFilter = z.object({
  actor: z.string().min(1).nullish(),
  action: z.string().min(1).nullish(),
  householdId: z.coerce.number().int().positive().nullish(),
  subject: z.string().min(1).nullish(),
  from: z.date().nullish(),
  to: z.date().nullish(),
});

export type AuditEntry = typeof auditLog.$inferSelect;

/** newest first, for the AUDITOR */
export async function listAudit(db: Db, args: { filter?: unknown; first?: number | null; after?: string | null }, maxPage: number) {
  const filter = parseInput(auditFilter, args.filter ?? {}, 'filter');
  const first = pageSize(args.first, maxPage);
  const conditions: (SQL | undefined)[] = [
    filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.householdId ? eq(auditLog.householdId, filter.householdId) : undefined,
    filter.subject ? eq(auditLog.subject, filter.subject) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lte(auditLog.at, filter.to) : undefined,
  ];
  const where = and(...conditions);
  const after = args.after ? decodeCursor('audit', args.after) : null;
  const rows = await db
    .select()
    .from(auditLog)
    .where(after !== null ? and(where, lt(auditLog.id, after)) : where)
    .orderBy(desc(auditLog.id))
    .limit(first + 1);
  const [total] = await db.select({ n: count() }).from(auditLog).where(where);
  return { ...pageOf(rows, first, 'audit'), totalCount: total?.n ?? 0 };
}
