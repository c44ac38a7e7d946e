import { setTimeout as sleep } from 'node:timers/promises';

import type { CallContext, Logger } from '@bff/core';
import type { DeadLetter, DeadLetterStore } from '@bff/shared-state';

import { noEventsObserver } from './eventMetrics.js';
import type { EventsObserver } from './eventMetrics.js';
import type { JobJournal } from './JobJournal.js';

/** One piece of work done off the request path. */
export interface Job<P = unknown> {
  /** Unique per piece of work (an event id, an idempotency key): the dead letter's id. */
  id: string;
  /** Which handler does it: `crm.activity`, `webhook.stock.changed`… */
  kind: string;
  /** Plain JSON: it is what a dead letter keeps to do the work again. */
  payload: P;
  /**
   * Jobs with the same key run one after the other, in the order queued (the
   * events of one product), so an older event never overwrites a newer one.
   * @default the job's id (no ordering with other jobs)
   */
  key?: string;
}

/** Does one attempt of a job; rejects with why it failed. Must be safe to repeat. */
export type JobHandler<P = unknown> = (payload: P, call: CallContext) => Promise<void>;

export interface BackgroundJobsOptions {
  /** What each kind of job does. */
  handlers: Readonly<Record<string, JobHandler<never>>>;
  deadLetters: DeadLetterStore;
  logger: Logger;
  /** Attempts of one job, the first included, before it goes to the dead letters. */
  maxAttempts: number;
  /** Delay before the first retry; doubles per retry, with full jitter. */
  retryBaseMs: number;
  /** Attempts and dead letters, for /metrics (eventsMetricsObserver). @default none */
  observer?: EventsObserver;
  /**
   * Where accepted jobs are kept until done (Redis), so that a replica's
   * death loses none: another replica takes them over once their lease runs
   * out. @default none: jobs live in this process only (one replica, or
   * a store without Redis)
   */
  journal?: JobJournal;
  /** How often this replica looks for jobs whose replica died. @default 5000 */
  takeOverEveryMs?: number;
}

/**
 * Work that must happen but not while a caller waits: applying an upstream
 * event, recording a CRM activity. Each job is attempted up to `maxAttempts`
 * times with exponential backoff and full jitter (so that replicas retrying
 * after one outage do not retry in step); a job that still fails goes to the
 * dead letters, where an operator sees why and replays it (`replay`).
 *
 * With a journal, a job is kept in Redis from the moment it is accepted
 * until it is done or dead-lettered: a replica that dies mid-job leaves it
 * for the others, and one that stops leaves its waiting jobs to them too.
 * Without one, stopping dead-letters the jobs waiting for a retry at once.
 * Either way nothing is lost, and stopping does not wait out a backoff.
 */
export class BackgroundJobs {
  private readonly byKey = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  /** Ids of the jobs this replica holds (queued or running), so a takeover never doubles one. */
  private readonly held = new Set<string>();
  private readonly log: Logger;
  private readonly observer: EventsObserver;
  private readonly takeOverTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BackgroundJobsOptions) {
    this.log = options.logger.child({ component: 'backgroundJobs' });
    this.observer = options.observer ?? noEventsObserver;
    if (options.journal) {
      this.takeOverTimer = setInterval(
        () => void this.takeOver(),
        options.takeOverEveryMs ?? 5_000,
      ).unref();
    }
  }

  /** Whether this service knows how to do (and replay) a kind of job. */
  handles(kind: string): boolean {
    return Object.hasOwn(this.options.handlers, kind);
  }

  /**
   * Accepts a job: kept in the journal (when there is one), then queued.
   * Resolves once it is as safe as this service can make it; never rejects
   * (a journal that does not answer leaves the job in memory, logged; what
   * keeps failing ends in the dead letters). An unknown kind throws at once.
   */
  enqueue(job: Job): Promise<void> {
    if (!this.handles(job.kind)) throw new Error(`No handler for jobs of kind ${job.kind}`);
    const journal = this.options.journal;
    if (!journal) {
      this.queue(job);
      return Promise.resolve();
    }
    return journal.record(job).then(
      () => this.queue(job),
      (error: unknown) => {
        this.log.warn({ err: error, jobId: job.id }, 'job journal unavailable; job kept in memory');
        this.queue(job);
      },
    );
  }

  private queue(job: Job): void {
    // Taken over from ourselves (an attempt outlived its lease): the takeover renewed the lease.
    if (this.held.has(job.id)) return;
    this.held.add(job.id);
    const key = `${job.kind}\n${job.key ?? job.id}`;
    const previous = this.byKey.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.runWithRetries(job));
    this.byKey.set(key, next);
    void next.finally(() => {
      this.held.delete(job.id);
      if (this.byKey.get(key) === next) this.byKey.delete(key);
    });
  }

  /** Queues the jobs whose replica died (their lease ran out), now leased to this one. */
  private async takeOver(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    try {
      const jobs = await this.options.journal!.takeOverExpired(32);
      for (const job of jobs) {
        if (!this.handles(job.kind)) continue; // another version's kind: its lease lapses again
        this.log.warn(
          { jobId: job.id, kind: job.kind },
          'job taken over from a replica that stopped',
        );
        this.queue(job);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'job journal unavailable; no takeover this time');
    }
  }

  /** Best effort: a journal that does not answer costs a repeat at worst, never the job. */
  private async journalDo(what: 'renew' | 'remove', id: string): Promise<void> {
    const journal = this.options.journal;
    if (!journal) return;
    await journal[what](id).catch((error: unknown) => {
      this.log.warn({ err: error, jobId: id }, `job journal ${what} failed`);
    });
  }

  /**
   * An operator's replay: one attempt, now. Done, the letter is removed; failed,
   * it stays with the new failure and one more attempt, and this rejects.
   */
  async replay(letter: DeadLetter): Promise<void> {
    try {
      await this.attempt({ id: letter.id, kind: letter.kind, payload: letter.payload });
    } catch (error) {
      await this.options.deadLetters.add({
        id: letter.id,
        kind: letter.kind,
        payload: letter.payload,
        error: describeFailure(error),
        attempts: letter.attempts + 1,
      });
      throw error;
    }
    await this.options.deadLetters.remove(letter.id);
    this.log.info({ jobId: letter.id, kind: letter.kind }, 'dead letter replayed');
  }

  /** Settles once every job queued so far is done or dead-lettered, retries included. */
  async idle(): Promise<void> {
    while (this.byKey.size > 0) await Promise.allSettled([...this.byKey.values()]);
  }

  /**
   * Stops retrying: jobs waiting for a retry are left to the other replicas
   * (with a journal) or go to the dead letters at once (without), then this
   * waits for the attempts in progress.
   */
  async close(): Promise<void> {
    this.stopping.abort();
    if (this.takeOverTimer) clearInterval(this.takeOverTimer);
    await this.idle();
  }

  private async attempt(job: Job): Promise<void> {
    const handler = this.options.handlers[job.kind] as JobHandler<unknown> | undefined;
    if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}`);
    const requestId = `job-${job.id}`.replace(/[^\w.:-]/g, '_').slice(0, 128);
    try {
      await handler(job.payload, {
        requestId,
        logger: this.log.child({ jobId: job.id, kind: job.kind }),
      });
    } catch (error) {
      this.observer.attempt(job.kind, 'failed');
      throw error;
    }
    this.observer.attempt(job.kind, 'ok');
  }

  private async runWithRetries(job: Job): Promise<void> {
    const { maxAttempts, retryBaseMs } = this.options;
    let failure = 'not attempted';
    let attempts = 0;
    while (attempts < maxAttempts && !this.stopping.signal.aborted) {
      attempts++;
      await this.journalDo('renew', job.id);
      try {
        await this.attempt(job);
        this.log.debug({ jobId: job.id, kind: job.kind, attempts }, 'job done');
        await this.journalDo('remove', job.id);
        return;
      } catch (error) {
        failure = describeFailure(error);
        this.log.warn({ jobId: job.id, kind: job.kind, attempt: attempts, failure }, 'job failed');
      }
      if (attempts >= maxAttempts) break;
      const delay = Math.random() * retryBaseMs * 2 ** (attempts - 1);
      await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
    if (attempts < maxAttempts && this.options.journal) {
      // Still in the journal: another replica takes it over once its lease runs out.
      this.log.info({ jobId: job.id, kind: job.kind }, 'job left to the other replicas');
      return;
    }
    if (attempts < maxAttempts) failure = `${failure}; the service stopped before it was done`;
    await this.deadLetter(job, failure, attempts);
    await this.journalDo('remove', job.id);
  }

  private async deadLetter(job: Job, error: string, attempts: number): Promise<void> {
    try {
      await this.options.deadLetters.add({
        id: job.id,
        kind: job.kind,
        payload: job.payload,
        error,
        attempts,
      });
      this.observer.deadLettered(job.kind);
      this.log.error({ jobId: job.id, kind: job.kind, attempts, error }, 'job dead-lettered');
    } catch (storeError) {
      // Nowhere left to keep it: the log line is all that remains of the work.
      this.log.error(
        { jobId: job.id, kind: job.kind, err: storeError, payload: job.payload },
        'job lost: the dead-letter store did not answer',
      );
    }
  }
}

/** A code and message for a dead letter: never a stack, never an upstream's body. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code =
      (error as { code?: unknown }).code ??
      (error as { extensions?: { code?: unknown } }).extensions?.code;
    return `${typeof code === 'string' ? code : error.name}: ${error.message}`;
  }
  return String(error);
}
