// The hub's scheduled work: which jobs exist, what each does, and when the schedule fires them.
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { expireOffers } from '../allocation/service.js';
import { todayIso } from '../domain/working-days.js';
import type { Logger } from '../logger.js';
import { chargeRent } from '../rent/charges.js';
import { ensureReadingPartitions } from '../db/partitions.js';
import { JobQueue, type JobDefinition } from './queue.js';
import { openReview, reviewChunk, type ChunkJob, type ReviewKind, type ReviewRun } from './reviews.js';
import { drawSpotChecks } from './spot-check.js';
import { detectFeed, usePendingDetections, type FeedDetection } from '../detection/pending.js';
import { randomUUID } from 'node:crypto';

const REVIEW_JOBS: Record<string, ReviewKind> = { 'review-annual': 'ANNUAL', 'review-quarterly': 'QUARTERLY', 'review-daily': 'DAILY' };
const CHUNK_JOB = 'review-chunk';
const SPOT_CHECK_JOB = 'spot-check';
const RENT_CHARGE_JOB = 'rent-charges';
const OFFER_EXPIRY_JOB = 'offers-expire';
const FEED_DETECTION_JOB = 'feed-detection';
const READING_PARTITIONS_JOB = 'reading-partitions';

export class Jobs {
  private readonly queue: JobQueue;

  constructor(
    private readonly database: Database,
    private readonly config: Config,
    log: Logger,
    private readonly clock: () => Date,
  ) {
    this.queue = new JobQueue(
      database,
      {
        schedules: {
          'review-annual': config.REVIEW_ANNUAL_CRON,
          'review-quarterly': config.REVIEW_QUARTERLY_CRON,
          'review-daily': config.REVIEW_DAILY_CRON,
          [SPOT_CHECK_JOB]: config.SPOT_CHECK_CRON,
          [RENT_CHARGE_JOB]: config.RENT_CHARGE_CRON,
          [OFFER_EXPIRY_JOB]: config.OFFER_EXPIRY_CRON,
          [READING_PARTITIONS_JOB]: config.READING_PARTITIONS_CRON,
        },
        timezone: config.JOBS_TIMEZONE,
        pollingSeconds: config.JOBS_POLL_SECONDS,
        expireInSeconds: config.JOB_EXPIRE_SECONDS,
        retryLimit: config.JOB_RETRY_LIMIT,
        maintenanceSeconds: config.JOBS_MAINTENANCE_SECONDS,
      },
      log,
    );
  }

  async start(): Promise<void> {
    const definitions: JobDefinition[] = [
      ...Object.entries(REVIEW_JOBS).map(([name, kind]) => ({ name, handler: async () => void (await this.startReview(kind, 'schedule')) })),
      // a chunk is one transaction of seconds: one whose instance died is taken up elsewhere within about a minute
      // (a slow chunk expired while still running is harmless: the retry waits on its lock, then finds it done)
      {
        name: CHUNK_JOB,
        policy: 'stately',
        concurrency: this.config.REVIEW_CONCURRENCY,
        expireInSeconds: this.config.REVIEW_CHUNK_EXPIRE_SECONDS,
        handler: (data) => reviewChunk(this.database, data as unknown as ChunkJob),
      },
      {
        name: SPOT_CHECK_JOB,
        handler: async () => {
          const today = this.today();
          await drawSpotChecks(this.database.db, Number(today.slice(0, 4)), today, 'schedule');
        },
      },
      { name: RENT_CHARGE_JOB, handler: async () => void (await chargeRent(this.database.db, this.today())) },
      { name: OFFER_EXPIRY_JOB, handler: async () => void (await expireOffers(this.database.db, this.today())) },
      { name: FEED_DETECTION_JOB, handler: async (data) => void (await detectFeed(this.database, data as unknown as FeedDetection)) },
      { name: READING_PARTITIONS_JOB, handler: async () => void (await ensureReadingPartitions(this.database.db, this.today())) },
    ];
    await this.queue.start(definitions);
    usePendingDetections(this.database, {
      record: async (session, detection) => {
        const id = randomUUID();
        await this.queue.insertThrough(async (text, values) => ({ rows: await session.query(text, values) }), FEED_DETECTION_JOB, {
          id,
          data: { ...detection },
          startAfterSeconds: this.config.FEED_DETECTION_GRACE_SECONDS,
        });
        return id;
      },
      done: (id) => this.queue.deleteJob(FEED_DETECTION_JOB, id),
    });
    // months missed while no instance ran are charged now, not at the next cron
    await this.queue.sendMany(RENT_CHARGE_JOB, [{ data: {} }]);
    // and the months ahead get their reading partitions now, not at the next cron
    await this.queue.sendMany(READING_PARTITIONS_JOB, [{ data: {} }]);
  }

  /** Opens today's run of `kind` (or finds it) and queues its chunks not yet done. */
  async startReview(kind: ReviewKind, by: string): Promise<ReviewRun> {
    const { run, pending } = await openReview(this.database, kind, this.today(), by, this.config.REVIEW_CHUNK_SIZE);
    await this.queue.sendMany(
      CHUNK_JOB,
      pending.map((job) => ({ data: { ...job }, singletonKey: `${job.runId}:${job.chunk}` })),
    );
    return run;
  }

  /** the bureau's calendar day now */
  private today(): string {
    return todayIso(this.clock(), this.config.BUREAU_TIMEZONE);
  }

  stop(graceMs: number): Promise<void> {
    usePendingDetections(this.database, null);
    return this.queue.stop(graceMs);
  }
}
