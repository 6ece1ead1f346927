// Incremental detection: after every feed batch, the rules run for the households it touched. Where
// this instance works the job queue, the batch commits with a pending detection (./pending.ts), so
// its alerts are raised even if the instance dies between the commit and the detection.
import type { Connector, RecordKind } from '../agency/connector.js';
import { ingestFeed, type FeedResult, type FeedSubmission } from '../agency/ingest.js';
import type { Database } from '../db/client.js';
import { detectTouched, pendingDetectionsOf } from './pending.js';

export interface FeedFaults {
  /** tests: the instance "dies" here, after the batch committed and before its detection */
  afterCommit?: () => void;
}

export async function ingestAndDetect(
  database: Database,
  connector: Connector,
  submission: Omit<FeedSubmission, 'onTouched' | 'inTransaction'>,
  today: string,
  faults: FeedFaults = {},
): Promise<FeedResult & { alertsRaised: number }> {
  const touched: [RecordKind, (string | number)[]][] = [];
  const pending = pendingDetectionsOf(database);
  let pendingId: string | null = null;
  const result = await ingestFeed(database, connector, {
    ...submission,
    onTouched: (kind, subjects) => touched.push([kind, subjects]),
    inTransaction: pending
      ? async (session) => {
          pendingId = await pending.record(session, {
            agency: connector.agency,
            batchKey: submission.batchKey,
            today,
            touched: touched.map(([kind, subjects]) => [kind.kind, subjects]),
          });
        }
      : undefined,
  });
  if (result.replayed || result.status === 'REFUSED') return { ...result, alertsRaised: 0 };
  faults.afterCommit?.();
  const raised = await detectTouched(database, touched, today);
  if (pending && pendingId) await pending.done(pendingId);
  return { ...result, alertsRaised: raised.length };
}
