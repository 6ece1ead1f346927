// Per-request DataLoaders for agency records, one per (agency, kind): from the agency's live API
// when one is configured, else from the records its feeds stored.
import DataLoader from 'dataloader';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Agencies } from '../../connectors/index.js';
import type { AgencyId, Connector, RecordKind, RecordOf } from './connector.js';
import { buildKinds, loadKinds, loadMany, selectKinds, subjectOf, type StoredRecord } from './connector.js';
import { AgencyCallError, type LiveSource } from './live.js';
import { feedCoverage } from './tables.js';

/** The key of a kind's coverage date: `real-estate/property`. */
export const coverageKey = (agency: string, kind: string) => `${agency}/${kind}`;

/** the feed coverage, asked of the loader that reads people's records (it reads both in one statement) */
const COVERAGE = Symbol('feed coverage');
/** agency, kind, the latest date the kind is known complete */
type CoverageRow = [agency: string, kind: string, asOf: string];
const COVERAGE_ROWS = sql`(select json_agg(json_build_array(c.agency, c.kind, c.as_of))
  from (select ${feedCoverage.agency} as agency, ${feedCoverage.kind} as kind, max(${feedCoverage.asOf}) as as_of from ${feedCoverage} group by 1, 2) c)`;

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
  /**
   * What this request has read, by agency and subject: every kind's records, or why the agency could
   * not answer. A field whose records are here answers without a promise (peek): on a page of a few
   * hundred people, one per field was most of what the page cost.
   */
  const settled = new Map<AgencyId, Map<Subject, Record<string, AgencyValue[]> | Error>>();
  const settledOf = (agency: AgencyId) => {
    let bySubject = settled.get(agency);
    if (!bySubject) settled.set(agency, (bySubject = new Map()));
    return bySubject;
  };

  /** the kinds kept from feeds about people (read together, in one statement per batch of people), or about units */
  const feedKinds = (subject: 'person' | 'unit') =>
    Object.values(connectors).flatMap((c) =>
      live[c.agency] ? [] : Object.entries(c.kinds).flatMap(([name, kind]) => (kind.subject.type === subject ? [{ agency: c.agency, name, kind }] : [])),
    );
  const personKinds = feedKinds('person');
  const unitKinds = feedKinds('unit');
  type FeedKind = (typeof personKinds)[number];
  type PeopleKey = { subject: string; kinds: readonly FeedKind[] };
  /**
   * People's feed records, kinds chosen per call (every kind, or those a summary measures): the calls of one tick
   * are one statement, over every person asked and the union of the kinds asked, whoever asked what. The feed
   * coverage rides along when asked in the same tick (COVERAGE): a verdict or summary asks both at once.
   */
  const personFeeds = new DataLoader<PeopleKey | typeof COVERAGE, true | CoverageRow[]>(
    async (keys) => {
      const people = keys.filter((key): key is PeopleKey => key !== COVERAGE);
      const asked = new Set(people.map((key) => key.kinds));
      const kinds = personKinds.filter((p) => [...asked].some((list) => list.includes(p)));
      const subjects = [...new Set(people.map((key) => key.subject))];
      const { records: grouped, beside } = await loadKinds(
        db,
        kinds.map((p) => p.kind),
        subjects,
        people.length < keys.length ? COVERAGE_ROWS : undefined,
      );
      settleRecords(kinds, subjects, grouped);
      return keys.map((key) => (key === COVERAGE ? ((beside as CoverageRow[] | undefined) ?? []) : (true as const)));
    },
    // `reading` below keeps a subject from being read twice
    { maxBatchSize: FEED_BATCH, cache: false },
  );
  /** these kinds' records about these subjects, as read (`grouped[k][i]`: kind k about subject i), at hand from now on */
  function settleRecords(kinds: readonly FeedKind[], subjects: readonly Subject[], grouped: StoredRecord[][][]) {
    kinds.forEach(({ agency, name }, k) => {
      const bySubject = settledOf(agency);
      const tag = { source: 'FEED', agency } as const;
      subjects.forEach((subject, i) => {
        let read = bySubject.get(subject) as Record<string, AgencyValue[]> | undefined;
        if (!read) bySubject.set(subject, (read = {}));
        // rows are fresh objects from the driver: tagged in place (a spread per row costs more than the query)
        read[name] = grouped[k]![i]!.map((r) => Object.assign(r, tag) as AgencyValue);
      });
    });
  }
  /** the feed kinds about people that `only` names (all of them without it) */
  const feedKindsOf = (only?: readonly (readonly [AgencyId, string])[]) =>
    only ? personKinds.filter((p) => only.some(([a, k]) => a === p.agency && k === p.name)) : personKinds;
  /** per kind, the people whose records of it are being read (or were): a later ask waits for that read, never repeats it */
  const reading = new Map<FeedKind, Map<string, Promise<unknown>>>();
  /** reads these kinds about these people; rejects when the read failed */
  function readPeople(kinds: readonly FeedKind[], subjects: readonly string[]): Promise<unknown> {
    const done = personFeeds.loadMany(subjects.map((subject) => ({ subject, kinds }))).then((results) => {
      const failed = results.find((r) => r instanceof Error);
      if (failed) throw failed;
    });
    for (const kind of kinds) {
      let bySubject = reading.get(kind);
      if (!bySubject) reading.set(kind, (bySubject = new Map()));
      for (const subject of subjects) bySubject.set(subject, done);
    }
    return done;
  }
  const isSettled = (p: FeedKind, subject: string) => (settled.get(p.agency)?.get(subject) as Record<string, unknown> | undefined)?.[p.name] !== undefined;
  /**
   * Makes these kinds about these people at hand (`peek`): those read or being read are waited for, the rest read
   * in one go, every kind missing for any of the people read for all of them.
   */
  async function readyPeople(kinds: readonly FeedKind[], subjects: readonly string[]): Promise<void> {
    const waits = new Set<Promise<unknown>>();
    const missing = kinds.filter((kind) => {
      let miss = false;
      for (const subject of subjects) {
        if (isSettled(kind, subject)) continue;
        const pending = reading.get(kind)?.get(subject);
        if (pending) waits.add(pending);
        else miss = true;
      }
      return miss;
    });
    if (missing.length) waits.add(readPeople(missing, subjects));
    await Promise.all(waits);
  }

  function feedLoader(agency: AgencyId, kindName: string): DataLoader<Subject, AgencyValue[]> {
    const id = `${agency}/${kindName}`;
    let loader = feedLoaders.get(id);
    if (!loader) {
      const kind: RecordKind = connectors[agency].kinds[kindName]!;
      loader = new DataLoader(
        async (subjects) => {
          const grouped = await loadMany(db, kind, subjects);
          const tag = { source: 'FEED', agency } as const;
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
          // every kind of the agency answered for each subject: none sent is none held
          const none = () => Object.fromEntries(Object.keys(connectors[agency].kinds).map((k) => [k, [] as AgencyValue[]]));
          const bySubject = new Map<Subject, Record<string, AgencyValue[]>>(subjects.map((s) => [s, none()]));
          let answer: Awaited<ReturnType<LiveSource['fetch']>>;
          try {
            answer = await source.fetch(subjects);
          } catch (error) {
            for (const s of subjects) settledOf(agency).set(s, error as Error);
            throw error;
          }
          for (const [kindName, records] of Object.entries(answer.records)) {
            const kind = connectors[agency].kinds[kindName]!;
            for (const record of records) {
              const forSubject = bySubject.get(subjectOf(kind, record));
              if (!forSubject) continue; // not asked for
              (forSubject[kindName] ??= []).push({ ...record, asOf: kind.asOf(record, answer.asOf), source: 'LIVE', agency });
            }
          }
          // a subject the agency could not answer for: an Error for that key, the batch's other keys answer
          const values = subjects.map((s) => (answer.failed?.has(s) ? new AgencyCallError(agency, answer.failed.get(s)!) : bySubject.get(s)!));
          subjects.forEach((s, i) => settledOf(agency).set(s, values[i]!));
          return values;
        },
        { maxBatchSize: source.config.maxBatch },
      );
      liveLoaders.set(agency, loader);
    }
    return loader;
  }

  let coverage: Promise<Record<string, string | undefined>> | undefined;
  /** the coverage as `coverage(today)` answers it, from the rows of COVERAGE_ROWS */
  function coverageOf(rows: readonly CoverageRow[], today: string): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = Object.fromEntries(rows.map(([agency, kind, asOf]) => [coverageKey(agency, kind), asOf ?? undefined]));
    for (const agency of Object.keys(live) as AgencyId[]) {
      for (const kind of Object.keys(connectors[agency].kinds)) out[coverageKey(agency, kind)] = today;
    }
    return out;
  }

  /** the records of a kind about a subject this request has read already (undefined: not read yet); throws why the agency could not answer */
  function peek(agency: AgencyId, kind: string, subject: Subject): AgencyValue[] | undefined {
    const value = settled.get(agency)?.get(subject);
    if (value === undefined) return undefined;
    if (value instanceof Error) {
      onRead?.(agency, subject);
      throw value;
    }
    const records = value[kind];
    if (records === undefined) return undefined; // other kinds of it read, not this one
    onRead?.(agency, subject);
    return records;
  }

  async function loadByName(agency: AgencyId, kind: string, subject: Subject): Promise<AgencyValue[]> {
    const ready = peek(agency, kind, subject);
    if (ready) return ready;
    onRead?.(agency, subject);
    const source = live[agency];
    if (source) return (await liveLoader(agency, source).load(subject))[kind] ?? [];
    const personKind = typeof subject === 'string' ? personKinds.find((p) => p.agency === agency && p.name === kind) : undefined;
    if (personKind) {
      await readyPeople([personKind], [subject as string]);
      return peek(agency, kind, subject)!;
    }
    return feedLoader(agency, kind).load(subject);
  }

  return {
    /**
     * Per `agency/kind`, the latest date the hub's records of that kind are known complete: the
     * newest batch that made the kind complete (a complete extract, or a nothing-to-report
     * declaration: feed_coverage), or today for every kind of an agency answering live. Absence of
     * records up to that date means "none"; any other batch of the agency proves nothing about it.
     */
    coverage(today: string): Promise<Record<string, string | undefined>> {
      coverage ??= personFeeds.load(COVERAGE).then((read) => coverageOf(read as CoverageRow[], today));
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
    /** `load` without a promise, for records this request has read already (after `prefetch`); undefined otherwise */
    peek<A extends AgencyId, N extends KindName<A>>(agency: A, kind: N, subject: Subject): AgencyValue<KindOf<A, N>>[] | undefined {
      return peek(agency, kind, subject) as AgencyValue<KindOf<A, N>>[] | undefined;
    },
    peekByName: peek,
    /**
     * Reads every agency's records about these people, or only the kinds `only` names (batched with every
     * other prefetch of the same tick: one statement for the feeds, one call per live agency), so that their
     * fields then answer from `peek`. Never fails: a failure is met again, field by field, by `load` (which throws it).
     */
    async prefetch(subjects: readonly string[], only?: readonly (readonly [AgencyId, string])[]): Promise<void> {
      const waits: Promise<unknown>[] = [readyPeople(feedKindsOf(only), subjects).catch(() => undefined)];
      for (const [agency, source] of Object.entries(live) as [AgencyId, LiveSource][]) {
        if (Object.values(connectors[agency].kinds).some((k) => k.subject.type === 'person')) waits.push(liveLoader(agency, source).loadMany(subjects));
      }
      await Promise.all(waits);
    },
    /**
     * `prefetch` and `coverage` as part of a larger statement (a page of households read with what its fields read,
     * src/households/page-read.ts): the feed records of the kinds `only` names about the people of `subjects` (a
     * subquery of resident IDs), and the coverage when asked, as one JSON value; `settle` makes what it answered at
     * hand, as if prefetch and coverage had read it. Live agencies are not in it: `prefetch` still calls them.
     */
    planned(subjects: SQL, only: readonly (readonly [AgencyId, string])[] | undefined, withCoverage: boolean) {
      const kinds = feedKindsOf(only);
      const recordKinds = kinds.map((p) => p.kind);
      const records = recordKinds.length ? selectKinds(recordKinds, subjects) : sql`null`;
      return {
        select: sql`json_build_array(${records}, ${withCoverage ? COVERAGE_ROWS : sql`null`})`,
        settle(value: unknown, people: readonly string[], today: string) {
          const [found, rows] = value as [unknown, CoverageRow[] | null];
          if (kinds.length) settleRecords(kinds, people, buildKinds(recordKinds, people, found));
          if (withCoverage) coverage ??= Promise.resolve(coverageOf(rows ?? [], today));
        },
      };
    },
    /** the same for the feed records about housing units (`units`: a subquery of unit ids), null when every such kind is live */
    plannedUnits(units: SQL) {
      if (!unitKinds.length) return null;
      const recordKinds = unitKinds.map((u) => u.kind);
      return {
        select: selectKinds(recordKinds, units),
        settle(value: unknown, ids: readonly number[]) {
          settleRecords(unitKinds, ids, buildKinds(recordKinds, ids, value));
        },
      };
    },
  };
}

export type AgencyLoaders = ReturnType<typeof createAgencyLoaders>;
