// Internal: the SharedStore over Redis, through keyv 5 and @keyv/redis.
import type { Logger } from '@bff/core';
import { createClient, createKeyv } from '@keyv/redis';

import { keyvNamespace } from './keyvNamespace.js';
import type { RunCall } from './keyvNamespace.js';
import type { SharedStore } from './SharedStore.js';
import { SharedStoreUnavailableError, withDeadline } from './SharedStoreUnavailableError.js';

export interface RedisSharedStoreOptions {
  redisUrl: string;
  keyPrefix: string;
  logger: Logger;
  timeoutMs: number;
}

/**
 * Commands waiting for an answer, at most. Only a Redis that accepts bytes but
 * never answers (stopped, wedged) fills it: past this, calls fail at once
 * instead of piling up until it wakes.
 */
const maxPendingCommands = 10_000;
const reconnectBaseMs = 50;
/** So that Redis coming back is noticed within about a second; a refused connect costs nothing. */
const reconnectCapMs = 1_000;

/** Capped exponential backoff, forever; jitter so replicas do not reconnect in step. */
function reconnectDelayMs(retries: number): number {
  return Math.min(reconnectBaseMs * 2 ** retries, reconnectCapMs) + Math.floor(Math.random() * 100);
}

/**
 * One warning per outage, not per call or per reconnect attempt, and one
 * info line when Redis is back. Fed by the client's events and by calls that
 * time out (a stopped Redis closes nothing, so only the deadline sees it).
 */
class ConnectionHealth {
  private state: 'connecting' | 'up' | 'down' = 'connecting';
  private downSince = 0;
  private settleFirstAttempt!: () => void;
  /** Settles when the first connection attempt succeeds or fails. */
  readonly firstAttempt = new Promise<void>((resolve) => (this.settleFirstAttempt = resolve));

  constructor(private readonly log: Logger) {}

  get connecting(): boolean {
    return this.state === 'connecting';
  }

  up(): void {
    if (this.state === 'up') return;
    if (this.state === 'down') {
      this.log.info({ downForMs: Date.now() - this.downSince }, 'shared store reachable again');
    } else {
      this.log.info('shared store connected');
    }
    this.state = 'up';
    this.settleFirstAttempt();
  }

  down(error: unknown): void {
    if (this.state === 'down') {
      this.log.debug({ err: error }, 'shared store still unreachable');
      return;
    }
    this.log.warn(
      { err: error },
      'shared store unreachable: its calls fail fast until Redis answers again',
    );
    this.state = 'down';
    this.downSince = Date.now();
    this.settleFirstAttempt();
  }
}

/** Scheme, host and database of a Redis URL: never its credentials. */
function describeRedisUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * The client is built here rather than by @keyv/redis, whose defaults make
 * every call hang while Redis is down: no offline queue (a call made while
 * disconnected fails at once), a short connect timeout, and a reconnect
 * strategy that never gives up. keyv drives that same client.
 */
export function createRedisSharedStore(options: RedisSharedStoreOptions): SharedStore {
  const { keyPrefix, timeoutMs } = options;
  const log = options.logger.child({
    component: 'sharedStore',
    redis: describeRedisUrl(options.redisUrl),
  });
  const client = createClient({
    url: options.redisUrl,
    disableOfflineQueue: true,
    commandsQueueMaxLength: maxPendingCommands,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectDelayMs },
  });
  const health = new ConnectionHealth(log);
  // Without an 'error' listener an EventEmitter throws, and the process dies.
  client.on('error', (error: unknown) => health.down(error));
  client.on('ready', () => health.up());
  // In the background: connect() settles only once connected (it retries
  // through the strategy), and a gateway must start while Redis is down.
  client
    .connect()
    .catch((error: unknown) => log.debug({ err: error }, 'shared store connect ended'));
  // throwOnErrors: a failed command must reach the caller, not read as a miss.
  // connectionTimeout only matters if keyv connected by itself, which it does
  // not here: the client is already open (it reconnects on its own).
  const keyv = createKeyv(client, {
    throwOnConnectError: false,
    throwOnErrors: true,
    connectionTimeout: timeoutMs,
  });

  let closed = false;
  const run: RunCall = async (what, operation) => {
    if (closed) throw new SharedStoreUnavailableError(`${what}: the shared store is closed`);
    try {
      const result = await withDeadline(what, timeoutMs, async (signal) => {
        // Right after start, wait (within the deadline) for the first
        // connection rather than fail every call made during the handshake.
        if (health.connecting) await health.firstAttempt;
        if (signal.aborted) throw new SharedStoreUnavailableError(`${what}: gave up`);
        return operation();
      });
      if (client.isReady) health.up();
      return result;
    } catch (error) {
      if (error instanceof SharedStoreUnavailableError && error.timedOut) health.down(error);
      throw error;
    }
  };

  return {
    keyPrefix,
    timeoutMs,
    redis: client,
    namespace: (name) => keyvNamespace(keyv, keyPrefix, name, run),
    ping: () =>
      run('shared store ping', () => client.ping()).then(
        () => true,
        () => false,
      ),
    close: async () => {
      if (closed) return;
      closed = true;
      if (!client.isOpen) return;
      // close() waits for the answers still due, which a stopped Redis never sends.
      await withDeadline('shared store close', timeoutMs, () => client.close()).catch(() =>
        client.destroy(),
      );
    },
  };
}
