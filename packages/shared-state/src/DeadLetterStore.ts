import type { SharedStore } from './SharedStore.js';
import { withDeadline } from './SharedStoreUnavailableError.js';

/** Work that failed for good after its bounded retries, kept for an operator to see and replay. */
export interface DeadLetter<P = unknown> {
  /** Unique within the store; adding the same id again replaces the entry. */
  id: string;
  /** What kind of work: `crm.activity`, `webhook.stock-changed`… */
  kind: string;
  /** What is needed to do the work again. */
  payload: P;
  /** Why the last attempt failed: a code and message, never a secret or PII. */
  error: string;
  attempts: number;
  /** When it first and last failed (ISO 8601). */
  firstFailedAt: string;
  lastFailedAt: string;
}

export interface DeadLetterStore {
  /** Stores a letter (replacing one with the same id, keeping its first failure time). */
  add(letter: Omit<DeadLetter, 'firstFailedAt' | 'lastFailedAt'>): Promise<void>;
  /** Every letter, or those of one kind, oldest failure first. */
  list(kind?: string): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Removes a letter (once replayed); removing an absent one is not an error. */
  remove(id: string): Promise<void>;
}

/**
 * A dead-letter store over the shared state: one Redis hash when Redis is
 * configured (every replica sees every letter, and they survive restarts),
 * a bounded map in process memory otherwise. Every call has the store's
 * deadline and rejects with SharedStoreUnavailableError past it.
 */
export function createDeadLetterStore(
  store: SharedStore,
  options: { name?: string; now?: () => Date; maxInMemory?: number } = {},
): DeadLetterStore {
  const name = options.name ?? 'dead-letters';
  const now = options.now ?? (() => new Date());
  const backend = store.redis
    ? redisHash(store, `${store.keyPrefix}${name}`)
    : memoryHash(options.maxInMemory ?? 10_000);
  const parse = (json: string) => JSON.parse(json) as DeadLetter;
  return {
    async add(letter) {
      const previous = await backend.get(letter.id);
      const at = now().toISOString();
      const entry: DeadLetter = {
        ...letter,
        firstFailedAt: previous ? parse(previous).firstFailedAt : at,
        lastFailedAt: at,
      };
      await backend.set(letter.id, JSON.stringify(entry));
    },
    async list(kind) {
      const all = (await backend.values()).map(parse);
      return all
        .filter((letter) => kind === undefined || letter.kind === kind)
        .sort((a, b) => a.firstFailedAt.localeCompare(b.firstFailedAt));
    },
    async get(id) {
      const json = await backend.get(id);
      return json === undefined ? undefined : parse(json);
    },
    remove: (id) => backend.delete(id),
  };
}

interface Hash {
  get(field: string): Promise<string | undefined>;
  set(field: string, value: string): Promise<void>;
  delete(field: string): Promise<void>;
  values(): Promise<string[]>;
}

function redisHash(store: SharedStore, key: string): Hash {
  const redis = store.redis!;
  const call = <T>(what: string, operation: () => Promise<T>) =>
    withDeadline(`dead letters ${what}`, store.timeoutMs, operation);
  return {
    get: (field) => call('get', async () => (await redis.hGet(key, field)) ?? undefined),
    set: (field, value) =>
      call('add', async () => {
        await redis.hSet(key, field, value);
      }),
    delete: (field) =>
      call('remove', async () => {
        await redis.hDel(key, field);
      }),
    values: () => call('list', () => redis.hVals(key)),
  };
}

function memoryHash(max: number): Hash {
  const entries = new Map<string, string>();
  return {
    get: async (field) => entries.get(field),
    set: async (field, value) => {
      entries.delete(field);
      entries.set(field, value);
      // The oldest go first: an operator who never replays must not exhaust memory.
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    delete: async (field) => {
      entries.delete(field);
    },
    values: async () => [...entries.values()],
  };
}
