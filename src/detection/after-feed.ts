// Incremental detection: after every feed batch, the rules run for the households it touched.
import type { Connector, RecordKind } from '../agency/connector.js';
import { ingestFeed, type FeedResult, type FeedSubmission } from '../agency/ingest.js';
import type { Database } from '../db/client.js';
import { detect, householdsOf } from './detect.js';

export async function ingestAndDetect(
  database: Database,
  connector: Connector,
  submission: Omit<FeedSubmission, 'onTouched'>,
  today: string,
): Promise<FeedResult & { alertsRaised: number }> {
  const touched: [RecordKind, (string | number)[]][] = [];
  const result = await ingestFeed(database, connector, { ...submission, onTouched: (kind, subjects) => touched.push([kind, subjects]) });
  if (result.replayed || result.status === 'REFUSED') return { ...result, alertsRaised: 0 };
  const ids = new Set<number>();
  for (const [kind, subjects] of touched) for (const id of await householdsOf(database, kind, subjects)) ids.add(id);
  const raised = await detect(database, [...ids], today);
  return { ...result, alertsRaised: raised.length };
}
