import { createHash } from 'node:crypto';

import { SandboxHttpError } from './SandboxHttpError.js';

interface Entry {
  fingerprint: string;
  expiresAt: number;
  result: Promise<{ status: number; body: unknown }>;
}

/**
 * Idempotency-Key handling as payment APIs do it: the first request with a
 * key runs; a repeat with the same body gets the same answer (even while the
 * first is still running); a repeat with a different body is refused.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 24 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  async run(
    key: string | undefined,
    scope: string,
    body: unknown,
    execute: () => Promise<{ status: number; body: unknown }>,
  ): Promise<{ status: number; body: unknown; replayed: boolean }> {
    if (key === undefined) return { ...(await execute()), replayed: false };
    if (key.length > 255) {
      throw new SandboxHttpError(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key is longer than 255 characters',
      );
    }
    const id = `${scope}\u0000${key}`;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(body ?? null))
      .digest('hex');
    const existing = this.entries.get(id);
    if (existing && existing.expiresAt > this.now()) {
      if (existing.fingerprint !== fingerprint) {
        throw new SandboxHttpError(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was used with a different request body',
        );
      }
      return { ...(await existing.result), replayed: true };
    }
    const result = execute();
    const entry: Entry = { fingerprint, expiresAt: this.now() + this.ttlMs, result };
    this.entries.set(id, entry);
    try {
      const outcome = await result;
      // Only successes are remembered; a failed attempt may be retried with the same key.
      if (outcome.status >= 400) this.entries.delete(id);
      return { ...outcome, replayed: false };
    } catch (error) {
      this.entries.delete(id);
      throw error;
    }
  }
}
