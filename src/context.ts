// What every resolver receives: created afresh for each request, so loaders never leak data between callers.
import { connectors } from '../connectors/index.js';
import type { AgencyId } from './agency/connector.js';
import type { LiveSource } from './agency/live.js';
import { createAgencyLoaders, type AgencyLoaders } from './agency/loaders.js';
import type { Config } from './config.js';
import type { AlertBus } from './detection/bus.js';
import type { Jobs } from './jobs/index.js';
import type { Database, Db, StatementCounter } from './db/client.js';
import type { Logger } from './logger.js';
import { createRecordLoaders, type RecordLoaders } from './households/loaders.js';
import { createEvaluationStore, createPolicyCache, type EvaluationStore, type PolicyCache } from './policy/service.js';

export interface HubContext {
  database: Database;
  db: Db;
  config: Config;
  log: Logger;
  requestId: string;
  /** who is calling, for records of who did what (the x-hub-user header until authentication lands) */
  caller: string;
  /** the bureau's working date for this request (deadlines, arrears, waiting time) */
  today: string;
  loaders: RecordLoaders;
  /** agency records, from live sources where configured, else from feeds */
  agency: AgencyLoaders;
  statements: StatementCounter;
  /** qualification evaluations made by this request, stored together */
  evaluations: EvaluationStore;
  policies: PolicyCache;
  /** alerts raised on any instance, for subscriptions */
  alertBus: AlertBus;
  /** scheduled reviews and spot checks; null where this instance runs no jobs */
  jobs: Jobs | null;
}

export function createContext(
  args: Omit<HubContext, 'loaders' | 'agency' | 'db' | 'evaluations' | 'policies'> & { liveSources: Partial<Record<AgencyId, LiveSource>> },
): HubContext {
  const { liveSources, ...rest } = args;
  const db = args.database.counting(args.statements);
  return {
    ...rest,
    db,
    loaders: createRecordLoaders(db),
    agency: createAgencyLoaders(db, connectors, liveSources),
    evaluations: createEvaluationStore(db),
    policies: createPolicyCache(db),
  };
}
