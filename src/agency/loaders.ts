// Per-request DataLoaders for agency records, one per (agency, kind): from the agency's live API
// when one is configured, else from the records its feeds stored.
import DataLoader from 'dataloader';
import { max } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Agencies } from '../../connectors/index.js';
import type { AgencyId, Connector, RecordKind, RecordOf } from './connector.js';
import { loadMany, subjectOf } from './connector.js';
import { AgencyCallError, type LiveSource } from './live.js';
import { feedCoverage } from './tables.js';

/** The key of a kind's coverage date: `real-estate/property`. */
export const coverageKey = (agency: string, kind: string) => `${agency}/${kind}`;

/** A record of kind K as the loaders give it: its fields, when it held, where it came from. */
export type AgencyValue<K extends RecordKind = RecordKind> = RecordOf<K> & { asOf: string; source: 'FEED' | 'LIVE'; agency: AgencyId };

/** The kinds an agency sends, by name. */
export type KindName<A extends AgencyId> = keyof Agencies[A]['kinds'] & string;

/** The kind an agency sends under that name. */
export type KindOf<A extends AgencyId, N extends KindName<A>> = Agencies[A]['kinds'][N] extends RecordKind ? Agencies[A]['kinds'][N] : never;

const FEED_BATCH = 5_000; // well under PostgreSQL's 65,535 bind parameters

type Subject = string | number;

export function createAgencyLoaders(
  db: Db,
  connectors: Record<AgencyId, Connector>,
  live: Partial<Record<AgencyId, LiveSource>>,
  /** told of every subject whose records are read, for the audit log */
  onRead?: (agency: AgencyId, subject: Subject) => void,
) {
  const feedLoaders = new Map<string, DataLoader<Subject, AgencyValue[]>>();
  const liveLoaders = new Map<AgencyId, DataLoader<Subject, Record<string, AgencyValue[]>>>();

  function feedLoader(agency: AgencyId, kindName: string): DataLoader<Subject, AgencyValue[]> {
    const id = `${agency}/${kindName}`;
    let loader = feedLoaders.get(id);
    if (!loader) {
      const kind: RecordKind = connectors[agency].kinds[kindName]!;
      loader = new DataLoader(
        async (subjects) => {
          const grouped = await loadMany(db, kind, subjects);
          const tag = { source: 'FEED', agency } as const;
          // rows are fresh objects from the driver: tagged in place (a spread per row costs more than the query)
          return grouped.map((rows) => rows.map((r) => Object.assign(r, tag)));
        },
        { maxBatchSize: FEED_BATCH },
      );
      feedLoaders.set(id, loader);
    }
    return loader;
  }

  /** one call to the agency for every kind of record about a batch of subjects */
  function liveLoader(agency: AgencyId, source: LiveSource): DataLoader<Subject, Record<string, AgencyValue[]>> {
    let loader = liveLoaders.get(agency);
    if (!loader) {
      loader = new DataLoader<Subject, Record<string, AgencyValue[]>>(
        async (subjects) => {
          const answer = await source.fetch(subjects);
          const bySubject = new Map<Subject, Record<string, AgencyValue[]>>(subjects.map((s) => [s, {}]));
          for (const [kindName, records] of Object.entries(answer.records)) {
            const kind = connectors[agency].kinds[kindName]!;
            for (const record of records) {
              const forSubject = bySubject.get(subjectOf(kind, record));
              if (!forSubject) continue; // not asked for
              (forSubject[kindName] ??= []).push({ ...record, asOf: kind.asOf(record, answer.asOf), source: 'LIVE', agency });
            }
          }
          // a subject the agency could not answer for: an Error for that key, the batch's other keys answer
          return subjects.map((s) => (answer.failed?.has(s) ? new AgencyCallError(agency, answer.failed.get(s)!) : bySubject.get(s)!));
        },
        { maxBatchSize: source.config.maxBatch },
      );
      liveLoaders.set(agency, loader);
    }
    return loader;
  }

  let coverage: Promise<Record<string, string | undefined>> | undefined;

  return {
    /**
     * Per `agency/kind`, the latest date the hub's records of that kind are known complete: the
     * newest batch that made the kind complete (a complete extract, or a nothing-to-report
     * declaration: feed_coverage), or today for every kind of an agency answering live. Absence of
     * records up to that date means "none"; any other batch of the agency proves nothing about it.
     */
    coverage(today: string): Promise<Record<string, string | undefined>> {
      coverage ??= db
        .select({ agency: feedCoverage.agency, kind: feedCoverage.kind, asOf: max(feedCoverage.asOf) })
        .from(feedCoverage)
        .groupBy(feedCoverage.agency, feedCoverage.kind)
        .then((rows) => {
          const out: Record<string, string | undefined> = Object.fromEntries(rows.map((r) => [coverageKey(r.agency, r.kind), r.asOf ?? undefined]));
          for (const agency of Object.keys(live) as AgencyId[]) {
            for (const kind of Object.keys(connectors[agency].kinds)) out[coverageKey(agency, kind)] = today;
          }
          return out;
        });
      return coverage;
    },
    /** current records of one kind about one subject (a resident ID, or a housing unit id), typed as the kind's records */
    async load<A extends AgencyId, N extends KindName<A>>(agency: A, kind: N, subject: Subject): Promise<AgencyValue<KindOf<A, N>>[]> {
      const records = await loadByName(agency, kind, subject);
      // the loaders are kept per agency and kind name, erased; the name picks the kind the records were read and validated as
      return records as AgencyValue<KindOf<A, N>>[];
    },
    /** the same for code that walks every kind (the generic Person and HousingUnit fields): records of a kind named at run time */
    loadByName,
  };

  async function loadByName(agency: AgencyId, kind: string, subject: Subject): Promise<AgencyValue[]> {
    onRead?.(agency, subject);
    const source = live[agency];
    return source ? ((await liveLoader(agency, source).load(subject))[kind] ?? []) : feedLoader(agency, kind).load(subject);
  }
}

export type AgencyLoaders = ReturnType<typeof createAgencyLoaders>;
