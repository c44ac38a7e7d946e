import { withDeadline } from '@bff/shared-state';
import type { SharedRedisClient, SharedStore } from '@bff/shared-state';

import type { Job } from './BackgroundJobs.js';

/**
 * Accepted background jobs, in Redis until they are done, so that a replica
 * that dies (a crash, an OOM kill, a lost node) does not take them with it.
 * Each job holds a lease: the replica working on it renews it before every
 * attempt; once a lease has run out, any replica may take the job over
 * (`takeOverExpired`, one atomic script, so two replicas never both take
 * it). A job is thus done at least once: every handler is safe to repeat.
 */
export interface JobJournal {
  /** Keeps a job, leased to this replica for `leaseMs`; rejects when the store fails. */
  record(job: Job): Promise<void>;
  /** Extends a job's lease by `leaseMs` from now. */
  renew(id: string): Promise<void>;
  /** Forgets a job: done, or in the dead letters. */
  remove(id: string): Promise<void>;
  /** Up to `limit` jobs whose lease ran out, now leased to this replica. */
  takeOverExpired(limit: number): Promise<Job[]>;
}

/** Takes over jobs whose lease ran out: a new lease for each, then their bodies. */
const takeOverScript = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local jobs = {}
for _, id in ipairs(expired) do
  local body = redis.call('HGET', KEYS[2], id)
  if body then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(jobs, body)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return jobs`;

/** The journal in the store's Redis: a hash of jobs and a sorted set of their lease ends. */
export function createRedisJobJournal(
  store: SharedStore,
  options: { leaseMs: number; name?: string },
): JobJournal {
  if (!store.redis) throw new TypeError('A job journal needs a Redis-backed shared store');
  const redis: SharedRedisClient = store.redis;
  const jobsKey = `${store.keyPrefix}${options.name ?? 'jobs'}`;
  const leasesKey = `${jobsKey}:leases`;
  const call = <T>(what: string, operation: () => Promise<T>) =>
    withDeadline(`job journal ${what}`, store.timeoutMs, operation);
  const leaseEnd = () => String(Date.now() + options.leaseMs);
  return {
    record: (job) =>
      call('record', async () => {
        await redis
          .multi()
          .hSet(jobsKey, job.id, JSON.stringify(job))
          .zAdd(leasesKey, { score: Number(leaseEnd()), value: job.id })
          .exec();
      }),
    renew: (id) =>
      call('renew', async () => {
        await redis.zAdd(leasesKey, { score: Number(leaseEnd()), value: id }, { XX: true });
      }),
    remove: (id) =>
      call('remove', async () => {
        await redis.multi().hDel(jobsKey, id).zRem(leasesKey, id).exec();
      }),
    takeOverExpired: (limit) =>
      call('take over', async () => {
        const bodies = (await redis.eval(takeOverScript, {
          keys: [leasesKey, jobsKey],
          arguments: [String(Date.now()), leaseEnd(), String(limit)],
        })) as string[];
        return bodies.map((body) => JSON.parse(body) as Job);
      }),
  };
}

/**
 * BackgroundJobs' journal options for a store: with Redis, a journal leased
 * for `leaseSeconds` and a look for jobs of dead replicas every half lease
 * (at most every 5 s); in memory (one replica), none.
 */
export function jobJournalOf(
  store: SharedStore,
  leaseSeconds: number,
): { journal?: JobJournal; takeOverEveryMs?: number } {
  if (!store.redis) return {};
  const leaseMs = leaseSeconds * 1000;
  return {
    journal: createRedisJobJournal(store, { leaseMs }),
    takeOverEveryMs: Math.min(5_000, leaseMs / 2),
  };
}
