// Every setting the hub reads from its environment, parsed and checked in one place.
import { z } from 'zod';
import { AGENCIES, type AgencyId } from './agency/connector.js';
import type { LiveSourceConfig } from './agency/live.js';
import { DEFAULT_BUREAU_TIMEZONE, isTimeZone } from './domain/working-days.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

const timeZone = z.string().min(1).refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai');

const cron = z.string().regex(/^(off|[\d*,/-]+( [\d*,/-]+){4})$/, 'must be a cron of 5 fields (minute hour day month weekday) or off');

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(4000),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// or postgresql:// URL' }).optional(),
    /** the owner role's connection: migrations run with it; the hub then serves with DATABASE_URL's DML-only role */
    DATABASE_MIGRATION_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// or postgresql:// URL' }).optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DATA_DIR: z.string().min(1).default('./data'),
    SEED_DEMO: bool.default(true),
    DEMO_HOUSEHOLDS: z.coerce.number().int().min(0).max(1_000_000).default(200),
    DEMO_SEED: z.coerce.number().int().default(20261123),
    MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    /** live pull: one base URL for every agency (e.g. the agency simulator); AGENCY_<NAME>_URL overrides it */
    AGENCY_BASE_URL: z.url({ message: 'must be an http(s) URL' }).optional(),
    AGENCY_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2_000),
    AGENCY_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    AGENCY_MAX_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
    AGENCY_BREAKER_RESET_MS: z.coerce.number().int().min(10).default(10_000),
    /** one live call's time limit, every attempt included */
    AGENCY_DEADLINE_MS: z.coerce.number().int().min(1).max(120_000).default(3_000),
    /** the breaker opens once this many attempts in the window were made and AGENCY_BREAKER_ERROR_PERCENT of them failed */
    AGENCY_BREAKER_VOLUME: z.coerce.number().int().min(1).max(1_000).default(3),
    AGENCY_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    AGENCY_BREAKER_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
    /** attempts before a delivery is parked */
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    /** first retry after this long, doubling each time */
    WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(30_000),
    /** how often an open subscription's credential is checked again (revoked or expired API key) when no event comes */
    WS_CREDENTIAL_CHECK_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    /** scheduled reviews and spot checks on the job queue; off, this instance runs none (others may) */
    JOBS_ENABLED: bool.default(true),
    /** the bureau's time zone: its calendar day is "today" everywhere (IANA name) */
    BUREAU_TIMEZONE: timeZone.default(DEFAULT_BUREAU_TIMEZONE),
    /** the crons' time zone; the bureau's when unset */
    JOBS_TIMEZONE: timeZone.optional(),
    JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
    /** a job running longer than this is taken as lost with its instance, and retried */
    JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(900),
    /** a review chunk running longer is taken as lost with its instance and retried elsewhere */
    REVIEW_CHUNK_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3600).default(45),
    /** how often the queue puts back jobs whose instance died (and does its housekeeping) */
    JOBS_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
    /** a feed's detection not done by the instance that took the feed (it died) runs on the queue after this long */
    FEED_DETECTION_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
    /** cron (minute hour day month weekday, in JOBS_TIMEZONE), or "off" */
    REVIEW_ANNUAL_CRON: cron.default('0 2 2 1 *'),
    REVIEW_QUARTERLY_CRON: cron.default('0 3 1 1,4,7,10 *'),
    REVIEW_DAILY_CRON: cron.default('30 1 * * *'),
    SPOT_CHECK_CRON: cron.default('0 4 15 1 *'),
    /** monthly rent charges: idempotent, so daily is cheap and catches up any month missed */
    RENT_CHARGE_CRON: cron.default('10 0 * * *'),
    /** KC-13(4): open offers past their last day to accept lapse */
    OFFER_EXPIRY_CRON: cron.default('15 0 * * *'),
    /** households per review job */
    REVIEW_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    /** review jobs one instance runs at once: while one waits for the database, another computes */
    REVIEW_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    /** HS256 key for bearer JWTs; required in production, a random one per process otherwise */
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_JWT_ISSUER: z.string().min(1).default('housing-hub'),
    /** the key the federation gateway signs upstream requests with (HMAC-SHA256); unset: _entities and _service are refused */
    GATEWAY_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * the secret shared with agencies that run their own subgraph: Person.subjectRef = HMAC-SHA256(it, resident ID),
     * the key they know a person by; and the pseudonyms a GraphQL live source sends
     */
    FEDERATION_SUBJECT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_JWT_AUDIENCE: z.string().min(1).default('housing-hub'),
    /** requests per minute per token (per address before authentication) */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** refused credentials a client address may show a minute before it is answered 429 without a lookup */
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
    MAX_QUERY_COST: z.coerce.number().int().min(100).default(60_000),
    MAX_ALIASES: z.coerce.number().int().min(1).default(15),
    MAX_QUERY_TOKENS: z.coerce.number().int().min(100).default(3_000),
    /** the longest an ordinary request (GraphQL, imports) may take to arrive; bulk feeds have their own limits below */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(300_000),
    /** a bulk feed (POST /feeds) whose sender sends nothing for this long is given up, nothing stored */
    FEED_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    /** the longest a bulk feed's body may take to arrive (6 h: 20 MB at 1 KB/s) */
    FEED_MAX_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(6 * 3_600_000),
    /** largest GraphQL request body */
    MAX_REQUEST_BYTES: z.coerce.number().int().min(1_000).default(100_000),
  })
  .refine((c) => c.NODE_ENV !== 'production' || !!c.AUTH_JWT_SECRET, { path: ['AUTH_JWT_SECRET'], message: 'is required in production' })
  .refine((c) => !c.DATABASE_MIGRATION_URL || !!c.DATABASE_URL, {
    path: ['DATABASE_MIGRATION_URL'],
    message: 'needs DATABASE_URL too (the role the hub serves with)',
  });

/** AGENCY_<NAME>_URL, _TOKEN, _TIMEOUT_MS and _PROTOCOL for each agency */
const agencyVarsSchema = z.object(
  Object.fromEntries(
    AGENCIES.flatMap((agency) => [
      [`${agencyEnv(agency)}_URL`, z.url({ message: 'must be an http(s) URL' }).optional()],
      [`${agencyEnv(agency)}_TOKEN`, z.string().optional()],
      [`${agencyEnv(agency)}_TIMEOUT_MS`, z.coerce.number().int().min(1).max(60_000).optional()],
      /** rest: the agency API of docs/agency-api.md; graphql: the agency's own subgraph (_URL its GraphQL endpoint), asked by subjectRef */
      [`${agencyEnv(agency)}_PROTOCOL`, z.enum(['rest', 'graphql'], { message: 'must be rest or graphql' }).optional()],
    ]),
  ) as Record<string, z.ZodType>,
);

/** civil-affairs -> AGENCY_CIVIL_AFFAIRS */
export function agencyEnv(agency: AgencyId): string {
  return `AGENCY_${agency.toUpperCase().replaceAll('-', '_')}`;
}

export type Config = z.infer<typeof configSchema> & {
  JOBS_TIMEZONE: string;
  /** agencies with a live HTTP source configured */
  agencySources: Partial<Record<AgencyId, LiveSourceConfig>>;
};

function agencySources(base: z.infer<typeof configSchema>, env: Record<string, unknown>): Config['agencySources'] {
  const sources: Config['agencySources'] = {};
  for (const agency of AGENCIES) {
    const prefix = agencyEnv(agency);
    const url = (env[`${prefix}_URL`] as string | undefined) ?? base.AGENCY_BASE_URL;
    if (!url) continue;
    const protocol = (env[`${prefix}_PROTOCOL`] as 'rest' | 'graphql' | undefined) ?? 'rest';
    sources[agency] = {
      url,
      protocol,
      subjectSecret: protocol === 'graphql' ? base.FEDERATION_SUBJECT_SECRET : undefined,
      token: env[`${prefix}_TOKEN`] as string | undefined,
      timeoutMs: (env[`${prefix}_TIMEOUT_MS`] as number | undefined) ?? base.AGENCY_TIMEOUT_MS,
      maxBatch: base.AGENCY_MAX_BATCH,
      retries: base.AGENCY_RETRIES,
      resetMs: base.AGENCY_BREAKER_RESET_MS,
      deadlineMs: base.AGENCY_DEADLINE_MS,
      breakerVolume: base.AGENCY_BREAKER_VOLUME,
      breakerErrorPercent: base.AGENCY_BREAKER_ERROR_PERCENT,
      breakerWindowMs: base.AGENCY_BREAKER_WINDOW_MS,
    };
  }
  return sources;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, so `PORT= npm start` means the default, as a shell user expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  const agencyVars = agencyVarsSchema.safeParse(present);
  const issues = [...(parsed.error?.issues ?? []), ...(agencyVars.error?.issues ?? [])];
  // a GraphQL live source asks by pseudonym: without the shared secret it could ask for no one
  for (const agency of AGENCIES) {
    const key = `${agencyEnv(agency)}_PROTOCOL`;
    if (present[key] === 'graphql' && !present['FEDERATION_SUBJECT_SECRET']) {
      issues.push({ code: 'custom', path: [key], message: 'graphql needs FEDERATION_SUBJECT_SECRET (the pseudonyms it asks by)', input: 'graphql' });
    }
  }
  if (!parsed.success || !agencyVars.success || issues.length) {
    throw new ConfigError(issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return {
    ...parsed.data!,
    JOBS_TIMEZONE: parsed.data.JOBS_TIMEZONE ?? parsed.data.BUREAU_TIMEZONE,
    agencySources: agencySources(parsed.data!, agencyVars.data!),
  };
}
