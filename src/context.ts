// What every resolver receives: created afresh for each request, so loaders never leak data between callers.
import type { Config } from './config.js';
import type { Db, StatementCounter } from './db/client.js';
import type { Logger } from './logger.js';
import { createRecordLoaders, type RecordLoaders } from './households/loaders.js';

export interface HubContext {
  db: Db;
  config: Config;
  log: Logger;
  requestId: string;
  /** the bureau's working date for this request (deadlines, arrears, waiting time) */
  today: string;
  loaders: RecordLoaders;
  statements: StatementCounter;
}

export function createContext(args: Omit<HubContext, 'loaders'>): HubContext {
  return { ...args, loaders: createRecordLoaders(args.db) };
}
