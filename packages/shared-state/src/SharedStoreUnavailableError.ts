/**
 * Thrown (as a rejection) by every shared-store call that could not complete:
 * Redis down, unreachable, too slow, or the store closed. Callers decide what
 * that means: an APQ lookup treats it as a miss, a rate limiter fails open.
 */
export class SharedStoreUnavailableError extends Error {
  override readonly name = 'SharedStoreUnavailableError';
  /** True when the call gave up at its deadline rather than failing outright. */
  readonly timedOut: boolean;

  constructor(message: string, options: { cause?: unknown; timedOut?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.timedOut = options.timedOut ?? false;
  }
}

/**
 * Runs `operation`, giving up after `timeoutMs`. Any failure, and the
 * deadline, become a SharedStoreUnavailableError. The client's own timeouts
 * do not cover everything (a Redis that is stopped but whose kernel still
 * accepts bytes never answers and never closes the socket), so this is the
 * bound callers can rely on. A late answer is dropped; `signal` aborts at the
 * deadline so that an operation still waiting to start can skip its work.
 */
export async function withDeadline<T>(
  what: string,
  timeoutMs: number,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new SharedStoreUnavailableError(`${what}: no answer within ${timeoutMs} ms`, {
          timedOut: true,
        }),
      );
    }, timeoutMs);
  });
  try {
    // Promise.race subscribes to both, so an operation that fails after the
    // deadline is not an unhandled rejection.
    return await Promise.race([Promise.resolve(controller.signal).then(operation), deadline]);
  } catch (error) {
    if (error instanceof SharedStoreUnavailableError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SharedStoreUnavailableError(`${what}: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
