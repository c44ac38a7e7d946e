import type { KeyValueStore } from '@bff/shared-state';
import { Store } from 'express-session';
import type { SessionData } from 'express-session';

/**
 * express-session's store over the shared key-value store (keyv: Redis when
 * configured, so every replica sees every session). An entry lives as long
 * as its cookie, so an abandoned session leaves nothing behind; a store that
 * cannot answer in time fails the request (503), it never hangs it.
 */
export class SharedSessionStore extends Store {
  constructor(
    private readonly sessions: KeyValueStore,
    /** For a session whose cookie has no expiry (none here; a safety net). */
    private readonly fallbackTtlSeconds: number,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.sessions.get(sid).then(
      (json) => callback(null, json === undefined ? null : (JSON.parse(json) as SessionData)),
      (error: unknown) => callback(error),
    );
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    const ttl = this.ttlSecondsOf(session);
    const done = ttl > 0 ? this.sessions.set(sid, JSON.stringify(session), ttl) : Promise.resolve();
    done.then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.sessions.delete(sid).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  /**
   * express-session touches on every request to slide an idle timeout. A
   * session here ends when its token does, not later, so the entry keeps the
   * lifetime it was written with, and a read costs no write.
   */
  override touch(_sid: string, _session: SessionData, callback?: () => void): void {
    callback?.();
  }

  private ttlSecondsOf(session: SessionData): number {
    const expires = session.cookie.expires;
    if (!expires) return this.fallbackTtlSeconds;
    return Math.ceil((new Date(expires).getTime() - Date.now()) / 1000);
  }
}
