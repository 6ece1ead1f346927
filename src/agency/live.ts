// Live pull: an agency's HTTP API answering for many subjects at once (contract: docs/agency-api.md).
// One call has an overall deadline; each attempt is counted by a circuit breaker, a slow answer as a
// failure like an error; an attempt that timed out is not repeated (the agency is slow, asking again
// only doubles the wait). So an agency that is down or slow costs a page at most one deadline, and
// after a few such pages none at all until the breaker lets a trial call through.
import CircuitBreaker from 'opossum';
import type { Logger } from '../logger.js';
import { answersOnPerson, entitiesQuery, profileField, profileKinds, representations, subjectRef } from './live-graphql.js';
import type { Connector } from './connector.js';

export interface LiveSourceConfig {
  /** rest: POST {url}/v1/{agency}/records:batch; graphql: the agency's subgraph at url, its _entities asked by subjectRef */
  protocol?: 'rest' | 'graphql';
  url: string;
  /** graphql: the secret the pseudonyms are made with (FEDERATION_SUBJECT_SECRET) */
  subjectSecret?: string | undefined;
  token?: string | undefined;
  /** one attempt's time limit */
  timeoutMs: number;
  /** one call's time limit, every attempt and backoff included */
  deadlineMs: number;
  /** most subjects in one call: the agency's limit */
  maxBatch: number;
  /** further attempts after a quick failure (an HTTP 5xx, a refused connection); never after a timeout */
  retries: number;
  /** how long the breaker stays open before trying the agency again */
  resetMs: number;
  /** failed attempts in the window before the breaker may open */
  breakerVolume: number;
  /** share of failed attempts in the window that opens the breaker, in percent */
  breakerErrorPercent: number;
  /** the breaker's rolling window */
  breakerWindowMs: number;
}

/** Everything the agency knows about the subjects asked for, by record kind. */
export interface LiveAnswer {
  asOf: string;
  records: Record<string, Record<string, unknown>[]>;
  /** subjects the agency could not answer for (a GraphQL subgraph's error on that entity): an Error each, the others answer */
  failed?: Map<string | number, string>;
}

export class AgencyCallError extends Error {
  constructor(
    readonly agency: string,
    /** what went wrong, without the agency's name */
    readonly reason: string,
    /** whether another attempt could help (not after a timeout, a 4xx or a body off contract) */
    readonly retryable = false,
  ) {
    super(`${agency}: ${reason}`);
    this.name = 'AgencyCallError';
  }
}

const MIN_ATTEMPT_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LiveSource {
  private readonly breaker: CircuitBreaker<[readonly (string | number)[], number], LiveAnswer>;

  constructor(
    readonly connector: Connector,
    readonly config: LiveSourceConfig,
    private readonly log: Logger,
  ) {
    if (config.protocol === 'graphql') {
      if (!config.subjectSecret) throw new Error(`${connector.agency}: a GraphQL live source needs the subject secret (FEDERATION_SUBJECT_SECRET)`);
      if (!answersOnPerson(connector))
        throw new Error(`${connector.agency}: a GraphQL live source answers on Person, and this agency has kinds about other subjects`);
    }
    const call = config.protocol === 'graphql' ? this.callGraphql.bind(this) : this.call.bind(this);
    this.breaker = new CircuitBreaker((subjects: readonly (string | number)[], timeoutMs: number) => call(subjects, timeoutMs), {
      timeout: false, // each attempt has its own timeout, and a timeout rejects like any failure
      errorThresholdPercentage: config.breakerErrorPercent,
      volumeThreshold: config.breakerVolume,
      resetTimeout: config.resetMs,
      rollingCountTimeout: config.breakerWindowMs,
    });
    this.breaker.on('open', () => this.log.warn({ agency: connector.agency }, 'agency circuit opened'));
    this.breaker.on('close', () => this.log.info({ agency: connector.agency }, 'agency circuit closed'));
  }

  get state(): 'OPEN' | 'HALF_OPEN' | 'CLOSED' {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  }

  /** Every kind of record about many subjects: one HTTP call (the loader keeps batches within maxBatch). */
  async fetch(subjects: readonly (string | number)[]): Promise<LiveAnswer> {
    const { agency } = this.connector;
    // an agency given a longer timeout of its own gets at least one whole attempt
    const deadline = Date.now() + Math.max(this.config.deadlineMs, this.config.timeoutMs, MIN_ATTEMPT_MS);
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      try {
        return await this.breaker.fire(subjects, Math.min(this.config.timeoutMs, left));
      } catch (error) {
        if ((error as { code?: string }).code === 'EOPENBREAKER') {
          throw new AgencyCallError(agency, 'unavailable (circuit open after repeated failures)');
        }
        const failure = error instanceof AgencyCallError ? error : new AgencyCallError(agency, String(error));
        const backoff = 50 * 2 ** attempt * (1 + Math.random());
        if (!failure.retryable || attempt >= this.config.retries || deadline - Date.now() - backoff < MIN_ATTEMPT_MS) throw failure;
        await sleep(backoff);
      }
    }
  }

  /** one POST with a JSON body, its answer parsed; every failure an AgencyCallError, retryable where another attempt could help */
  private async post(url: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      if (timedOut) throw new AgencyCallError(this.connector.agency, `no answer within ${timeoutMs} ms`);
      throw new AgencyCallError(this.connector.agency, `unreachable (${(error as Error).message})`, true);
    }
    if (res.status >= 400 && res.status < 500) {
      // the request is wrong, not the agency: retrying will not help
      throw new AgencyCallError(this.connector.agency, `refused the call with HTTP ${res.status}`);
    }
    if (!res.ok) throw new AgencyCallError(this.connector.agency, `answered HTTP ${res.status}`, true);
    try {
      return await res.json();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new AgencyCallError(this.connector.agency, timedOut ? `no answer within ${timeoutMs} ms` : 'answered with a body that is not JSON');
    }
  }

  /** the same validation as a feed: a record the agency got wrong is dropped, not shown */
  private validated(name: string, item: unknown, into: Record<string, unknown>[]): void {
    const parsed = this.connector.kinds[name]!.schema.safeParse(item);
    if (parsed.success) into.push(parsed.data);
    else this.log.warn({ agency: this.connector.agency, kind: name, reason: parsed.error.issues[0]?.message }, 'live record rejected');
  }

  private async call(subjects: readonly (string | number)[], timeoutMs: number): Promise<LiveAnswer> {
    const url = `${this.config.url.replace(/\/$/, '')}/v1/${this.connector.agency}/records:batch`;
    const body = (await this.post(url, { subjects }, timeoutMs)) as { asOf?: unknown; records?: Record<string, unknown> } | null;
    if (typeof body?.asOf !== 'string' || typeof body.records !== 'object' || body.records === null) {
      throw new AgencyCallError(this.connector.agency, 'answered with a body that does not follow the contract');
    }
    const records: LiveAnswer['records'] = {};
    for (const name of Object.keys(this.connector.kinds)) {
      const raw = body.records[name];
      records[name] = [];
      for (const item of Array.isArray(raw) ? raw : []) this.validated(name, item, records[name]);
    }
    return { asOf: body.asOf, records };
  }

  /**
   * The agency's own subgraph (src/agency/live-graphql.ts): one request for the batch, its `_entities` asked by
   * the subjects' pseudonyms, so no resident ID goes over the wire; the answers come back in the order asked,
   * and each record gets its subject back here before the kind's schema validates it as a REST record would be.
   */
  private async callGraphql(subjects: readonly (string | number)[], timeoutMs: number): Promise<LiveAnswer> {
    const { agency } = this.connector;
    const refs = subjects.map((s) => subjectRef(this.config.subjectSecret!, String(s)));
    const payload = { query: (this.query ??= entitiesQuery(this.connector)), variables: { representations: representations(refs) } };
    const body = (await this.post(this.config.url, payload, timeoutMs)) as {
      data?: { _entities?: unknown } | null;
      errors?: { path?: (string | number)[] }[];
    } | null;
    const entities = body?.data?._entities;
    if (!Array.isArray(entities) || entities.length !== subjects.length) {
      // a GraphQL error for the whole request (refused, broken): the agency did not answer this batch
      throw new AgencyCallError(agency, body?.errors?.length ? 'answered the batch with errors' : 'answered with a body that does not follow the contract');
    }
    const field = profileField(agency);
    const kinds = profileKinds(this.connector);
    const records: LiveAnswer['records'] = Object.fromEntries(kinds.map((k) => [k.name, []]));
    const failed = new Map<string | number, string>();
    const asOfs: string[] = [];
    entities.forEach((entity: unknown, i) => {
      const subject = subjects[i]!;
      const profile = (entity as Record<string, unknown> | null)?.[field] as Record<string, unknown> | null | undefined;
      if (!profile || typeof profile['asOf'] !== 'string') {
        failed.set(subject, 'could not answer for this person');
        return;
      }
      asOfs.push(profile['asOf']);
      for (const k of kinds) {
        const value = profile[k.field];
        const items = k.many ? (Array.isArray(value) ? value : []) : value ? [value] : [];
        for (const item of items) this.validated(k.name, { ...(item as object), [k.kind.subject.field]: subject }, records[k.name]!);
      }
    });
    // the oldest date any answer holds as of: a record is never taken as newer than the agency says
    const asOf = asOfs.sort()[0] ?? new Date().toISOString().slice(0, 10);
    return { asOf, records, ...(failed.size ? { failed } : {}) };
  }

  private query: string | undefined;
}
