import { Agent, request } from 'undici';

import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { UpstreamError } from './UpstreamError.js';

/** Supplies the bearer token for an upstream; `RestClient` asks it before every call. */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** The upstream refused `token`: forget it so the next `getToken` fetches a new one. */
  invalidate(token: string): void;
}

export interface ClientCredentialsOptions {
  /** Upstream name, for errors and logs. */
  upstream: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** @default undefined (the upstream's default scopes) */
  scope?: string;
  /**
   * Refresh this long before the token expires, so a token never expires
   * between being read and being used; at most half the token's lifetime.
   * @default 30000
   */
  refreshBeforeExpiryMs?: number;
  /** @default 5000 */
  timeoutMs?: number;
  logger: Logger;
  /** Injectable clock for tests. @default Date.now */
  now?: () => number;
}

interface CachedToken {
  value: string;
  /** When to fetch a new one: before expiry by the margin, or at half-life for short-lived tokens. */
  refreshAt: number;
}

/**
 * OAuth2 client-credentials (RFC 6749 §4.4). The token is cached until
 * shortly before it expires, and concurrent callers share one refresh:
 * a burst of a thousand resolvers costs one call to the token endpoint.
 */
export class ClientCredentialsTokenProvider implements TokenProvider {
  private cached: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 2 });
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  async getToken(): Promise<string> {
    if (this.cached && this.cached.refreshAt > this.now()) return this.cached.value;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    this.cached = await this.inflight;
    return this.cached.value;
  }

  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async fetchToken(): Promise<CachedToken> {
    const { upstream, tokenUrl, clientId, clientSecret, scope, logger } = this.options;
    const started = this.now();
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const basic = Buffer.from(
      `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
    ).toString('base64');
    let status: number;
    let text: string;
    try {
      const response = await request(tokenUrl, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      logger.error({ upstream, err: error }, 'token endpoint unreachable');
      throw new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `Could not obtain credentials for the ${upstream.toUpperCase()} system.`,
        { route: 'POST /oauth/token', cause: error },
      );
    }
    const body = safeJson(text) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (status !== 200 || typeof body?.access_token !== 'string') {
      logger.error({ upstream, status, body: text.slice(0, 500) }, 'token endpoint refused');
      throw new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        upstream,
        `Could not obtain credentials for the ${upstream.toUpperCase()} system.`,
        { status, route: 'POST /oauth/token', body: text.slice(0, 500) },
      );
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 300) * 1000;
    // A token shorter-lived than the margin would otherwise be refetched on every call.
    const margin = Math.min(this.options.refreshBeforeExpiryMs ?? 30_000, lifetimeMs / 2);
    logger.debug({ upstream, lifetimeMs, durationMs: this.now() - started }, 'token obtained');
    return { value: body.access_token, refreshAt: started + lifetimeMs - margin };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
