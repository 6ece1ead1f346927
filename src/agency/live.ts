// Live pull: an agency's HTTP API answering for many subjects at once (contract: docs/agency-api.md).
// One call has an overall deadline; each attempt is counted by a circuit breaker, a slow answer as a
// failure like an error; an attempt that timed out is not repeated (the agency is slow, asking again
// only doubles the wait). So an agency that is down or slow costs a page at most one deadline, and
// after a few such pages none at all until the breaker lets a trial call through.
import CircuitBreaker from 'opossum';
import type { Logger } from '../logger.js';
import type { Connector } from './connector.js';

export interface LiveSourceConfig {
  url: string;
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
    this.breaker = new CircuitBreaker((subjects: readonly (string | number)[], timeoutMs: number) => this.call(subjects, timeoutMs), {
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

  private async call(subjects: readonly (string | number)[], timeoutMs: number): Promise<LiveAnswer> {
    const url = `${this.config.url.replace(/\/$/, '')}/v1/${this.connector.agency}/records:batch`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}),
        },
        body: JSON.stringify({ subjects }),
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
    let body: { asOf?: unknown; records?: Record<string, unknown> };
    try {
      body = (await res.json()) as typeof body;
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new AgencyCallError(this.connector.agency, timedOut ? `no answer within ${timeoutMs} ms` : 'answered with a body that is not JSON');
    }
    if (typeof body.asOf !== 'string' || typeof body.records !== 'object' || body.records === null) {
      throw new AgencyCallError(this.connector.agency, 'answered with a body that does not follow the contract');
    }
    // the same validation as a feed: a record the agency got wrong is dropped, not shown
    const records: LiveAnswer['records'] = {};
    for (const [name, kind] of Object.entries(this.connector.kinds)) {
      const raw = body.records[name];
      records[name] = [];
      for (const item of Array.isArray(raw) ? raw : []) {
        const parsed = kind.schema.safeParse(item);
        if (parsed.success) records[name].push(parsed.data);
        else this.log.warn({ agency: this.connector.agency, kind: name, reason: parsed.error.issues[0]?.message }, 'live record rejected');
      }
    }
    return { asOf: body.asOf, records };
  }
}
