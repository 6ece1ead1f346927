// Per-request DataLoaders for agency records, one per (agency, kind): from the agency's live API
// when one is configured, else from the records its feeds stored.
import DataLoader from 'dataloader';
import type { Db } from '../db/client.js';
import type { AgencyId, Connector, RecordKind } from './connector.js';
import { loadMany } from './connector.js';
import type { LiveSource } from './live.js';

export type AgencyValue = Record<string, unknown> & { asOf: string; source: 'FEED' | 'LIVE'; agency: AgencyId };

const FEED_BATCH = 5_000; // well under PostgreSQL's 65,535 bind parameters

export function createAgencyLoaders(db: Db, connectors: Record<AgencyId, Connector>, live: Partial<Record<AgencyId, LiveSource>>) {
  const loaders = new Map<string, DataLoader<string | number, AgencyValue[]>>();

  function loaderFor(agency: AgencyId, kindName: string): DataLoader<string | number, AgencyValue[]> {
    const id = `${agency}/${kindName}`;
    let loader = loaders.get(id);
    if (loader) return loader;
    const kind: RecordKind = connectors[agency].kinds[kindName]!;
    const source = live[agency];
    loader = source
      ? new DataLoader(
          async (subjects) => {
            const answer = await source.fetch(kind, subjects);
            const bySubject = new Map<string | number, AgencyValue[]>();
            for (const record of answer.records) {
              const subject = record[kind.subject.field] as string | number;
              const value: AgencyValue = { ...record, asOf: kind.asOf(record, answer.asOf), source: 'LIVE', agency };
              bySubject.set(subject, [...(bySubject.get(subject) ?? []), value]);
            }
            return subjects.map((s) => bySubject.get(s) ?? []);
          },
          { maxBatchSize: source.config.maxBatch },
        )
      : new DataLoader(
          async (subjects) =>
            (await loadMany(db, kind, subjects)).map((rows) => rows.map((r) => ({ ...r, source: 'FEED' as const, agency }))),
          { maxBatchSize: FEED_BATCH },
        );
    loaders.set(id, loader);
    return loader;
  }

  return {
    /** current records of one kind about one subject (a resident ID, or a housing unit id) */
    load(agency: AgencyId, kind: string, subject: string | number): Promise<AgencyValue[]> {
      return loaderFor(agency, kind).load(subject);
    },
  };
}

export type AgencyLoaders = ReturnType<typeof createAgencyLoaders>;
