// Durable detection after a feed: the batch's transaction also stores a pending detection (a job on
// the queue, due after a grace period), so a crash between the batch's commit and its detection
// loses nothing: the instance that took the feed detects at once and deletes the job; if it died
// first, the job runs on whichever instance works the queue. Detection is idempotent (an alert's
// dedup key is household, rule, period), so a batch's alerts are raised exactly once either way.
import { connectors } from '../../connectors/index.js';
import type { AgencyId, RecordKind } from '../agency/connector.js';
import type { BulkSession, Database } from '../db/client.js';
import { detect, householdsOf } from './detect.js';

export interface FeedDetection {
  agency: AgencyId;
  batchKey: string;
  /** the bureau's date the feed arrived on: detection runs as of it */
  today: string;
  /** per record kind, the subjects the batch's records were about */
  touched: [kind: string, subjects: (string | number)[]][];
}

export interface PendingDetections {
  /** stores the pending detection through the batch's own transaction; answers its id */
  record(session: BulkSession, detection: FeedDetection): Promise<string>;
  /** the detection ran: the pending record goes */
  done(id: string): Promise<void>;
}

// per database: the queue of the hub that opened it (a process may hold several, e.g. tests)
const queues = new WeakMap<Database, PendingDetections>();

export function usePendingDetections(database: Database, pending: PendingDetections | null): void {
  if (pending) queues.set(database, pending);
  else queues.delete(database);
}

export function pendingDetectionsOf(database: Database): PendingDetections | undefined {
  return queues.get(database);
}

/** Runs the rules for the households a feed's records touched; answers the alerts raised. */
export async function detectTouched(database: Database, touched: readonly [RecordKind, readonly (string | number)[]][], today: string) {
  const ids = new Set<number>();
  for (const [kind, subjects] of touched) for (const id of await householdsOf(database, kind, subjects)) ids.add(id);
  return detect(database, [...ids], today);
}

/** the queued job: a pending detection whose feed's instance did not get to it */
export async function detectFeed(database: Database, detection: FeedDetection): Promise<number> {
  const kinds = connectors[detection.agency].kinds;
  const touched = detection.touched.flatMap(([kind, subjects]) => (kinds[kind] ? [[kinds[kind], subjects] as [RecordKind, (string | number)[]]] : []));
  return (await detectTouched(database, touched, detection.today)).length;
}
