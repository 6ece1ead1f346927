// What every resolver receives: created afresh for each request, so loaders never leak data between callers.
import { connectors } from '../connectors/index.js';
import type { AgencyId } from './agency/connector.js';
import type { LiveSource } from './agency/live.js';
import { createAgencyLoaders, type AgencyLoaders } from './agency/loaders.js';
import type { Config } from './config.js';
import { AuditTrail } from './auth/audit.js';
import type { Caller } from './auth/caller.js';
import { scopeOf, type DistrictScope } from './auth/scope.js';
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
  /** the request carries the federation gateway's signature: it may use _entities and _service */
  gatewaySigned: boolean;
  /** who is calling: role, districts or agency (null only before authentication) */
  caller: Caller | null;
  /** the districts this request may see, from the caller: list services narrow to it */
  scope: DistrictScope;
  /** the caller's id, for records of who did what */
  who: string;
  /** what this request read and did, written when it answers (KC-35) */
  audit: AuditTrail;
  /** response paths of values released unmasked with a stated purpose (Person.identity) */
  released: Set<string>;
  /** the bureau's working date for this request (deadlines, arrears, waiting time) */
  today: string;
  loaders: RecordLoaders;
  /** agency records, from live sources where configured, else from feeds */
  agency: AgencyLoaders;
  statements: StatementCounter;
  /** the latest stored evaluations (one read for a page), and storing one on purpose */
  evaluations: EvaluationStore;
  policies: PolicyCache;
  /** alerts raised on any instance, for subscriptions */
  alertBus: AlertBus;
  /** scheduled reviews and spot checks; null where this instance runs no jobs */
  jobs: Jobs | null;
}

export function createContext(
  args: Omit<HubContext, 'loaders' | 'agency' | 'db' | 'evaluations' | 'policies' | 'who' | 'scope' | 'audit' | 'released'> & {
    liveSources: Partial<Record<AgencyId, LiveSource>>;
    /** why the caller reads (the x-hub-purpose header), kept with each read in the audit log */
    purpose: string | null;
  },
): HubContext {
  const { liveSources, purpose, ...rest } = args;
  const db = args.database.counting(args.statements);
  // the audit log is written outside the request's statement count: it is not what the page costs
  const audit = new AuditTrail(args.database.db, args.requestId, args.caller, purpose);
  return {
    ...rest,
    db,
    who: args.caller?.id ?? 'anonymous',
    scope: scopeOf(args.caller),
    audit,
    released: new Set(),
    loaders: createRecordLoaders(db),
    agency: createAgencyLoaders(db, connectors, liveSources, (agency, subject) => audit.read(agency, subject)),
    evaluations: createEvaluationStore(db),
    policies: createPolicyCache(db),
  };
}
