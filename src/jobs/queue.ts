// Scheduled and background work on pg-boss, a job queue kept in the hub's own database: on
// PostgreSQL several hub instances share it (a job runs on one of them; a cron fires once), and a
// job whose instance crashed expires and is retried elsewhere. On the embedded PGlite the same
// queue runs inside the one process, through the database handle.
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';

export interface JobQueueOptions {
  /** cron per scheduled job name; "off" leaves that job unscheduled */
  schedules: Record<string, string>;
  timezone: string;
  pollingSeconds: number;
  /** a job running longer than this is taken as lost (its instance died) and retried */
  expireInSeconds: number;
  retryLimit: number;
  /** how often expired jobs (their instance died) are put back for another instance */
  maintenanceSeconds: number;
}

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export interface JobDefinition {
  name: string;
  /** 'stately': at most one waiting and one running job per singleton key */
  policy?: 'standard' | 'stately';
  /** workers on this instance (each takes one job at a time) */
  concurrency?: number;
  /** this job's own expiry, when it is known to be short (the queue's default otherwise) */
  expireInSeconds?: number;
  handler: JobHandler;
}

export class JobQueue {
  private readonly boss: PgBoss;
  private started = false;

  constructor(
    database: Database,
    private readonly options: JobQueueOptions,
    private readonly log: Logger,
  ) {
    const connection = 'url' in database.connection ? { connectionString: database.connection.url, max: 3 } : { db: database.connection as PgBoss.Db };
    this.boss = new PgBoss({ ...connection, schema: 'pgboss', application_name: 'housing-hub-jobs', maintenanceIntervalSeconds: options.maintenanceSeconds });
    this.boss.on('error', (error) => this.log.error({ err: error }, 'job queue error'));
  }

  async start(jobs: readonly JobDefinition[]): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const job of jobs) {
      const settings = {
        name: job.name,
        policy: job.policy ?? 'standard',
        retryLimit: this.options.retryLimit,
        retryBackoff: true,
        expireInSeconds: job.expireInSeconds ?? this.options.expireInSeconds,
      } as const;
      await this.boss.createQueue(job.name, settings);
      // a queue made by an earlier version keeps its old settings otherwise
      await this.boss.updateQueue(job.name, settings);
      for (let w = 0; w < (job.concurrency ?? 1); w++) await this.work(job);
      const cron = this.options.schedules[job.name];
      if (cron === 'off') await this.boss.unschedule(job.name);
      else if (cron) await this.boss.schedule(job.name, cron, {}, { tz: this.options.timezone });
    }
  }

  private async work(job: JobDefinition): Promise<void> {
    let workerId = '';
    workerId = await this.boss.work<Record<string, unknown>>(job.name, { pollingIntervalSeconds: this.options.pollingSeconds }, async ([next]) => {
      if (!next) return;
      const started = performance.now();
      try {
        await job.handler(next.data ?? {});
        this.log.info({ job: job.name, id: next.id, ms: Math.round(performance.now() - started) }, 'job done');
      } catch (error) {
        this.log.error({ err: error, job: job.name, id: next.id }, 'job failed; it will be retried');
        throw error;
      }
      // a job was there, so more may be: fetch again at once rather than after the polling interval
      this.boss.notifyWorker(workerId);
    });
  }

  async sendMany(name: string, jobs: { data: Record<string, unknown>; singletonKey?: string }[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 1_000) {
      await this.boss.insert(jobs.slice(i, i + 1_000).map((j) => ({ name, data: j.data, singletonKey: j.singletonKey })));
    }
  }

  /**
   * Inserts a job through `executeSql`, e.g. the caller's open transaction: the job exists only if
   * that transaction commits. `startAfterSeconds` delays it.
   */
  async insertThrough(
    executeSql: (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>,
    name: string,
    job: { id: string; data: Record<string, unknown>; startAfterSeconds: number },
  ): Promise<void> {
    await this.boss.insert([{ id: job.id, name, data: job.data, startAfter: `${job.startAfterSeconds} seconds` as unknown as Date }], {
      db: { executeSql },
    } as PgBoss.InsertOptions);
  }

  async deleteJob(name: string, id: string): Promise<void> {
    await this.boss.deleteJob(name, id);
  }

  /** stops fetching; waits for running jobs up to `graceMs` (an unfinished one is retried later) */
  async stop(graceMs: number): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: graceMs > 0, timeout: Math.max(graceMs, 1), wait: true, close: true });
  }
}
