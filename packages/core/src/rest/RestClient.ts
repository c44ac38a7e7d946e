import { performance } from 'node:perf_hooks';

import { Pool } from 'undici';

import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TokenProvider } from './ClientCredentialsTokenProvider.js';
import { UpstreamError, upstreamErrorFromStatus } from './UpstreamError.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface RestClientOptions {
  /** Upstream name ('erp'), in errors and logs. */
  upstream: string;
  /** Base URL, optionally with a path prefix: https://erp.example.com/api/v2 */
  baseUrl: string;
  /**
   * Deadline for one call, from sending to the last byte of the body.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Keep-alive connections kept open to the upstream.
   * @default 64
   */
  connections?: number;
  /** Supplies bearer tokens; omit for an upstream without auth. */
  tokenProvider?: TokenProvider;
  logger: Logger;
}

/** Per-request facts the client passes on: who is asking, and what to echo. */
export interface CallContext {
  requestId?: string;
  traceparent?: string;
  /** The request's child logger, so upstream lines carry its request id. */
  logger?: Logger;
  /** Aborts the call when the caller gives up. */
  signal?: AbortSignal;
}

export interface RestRequest {
  /** @default 'GET' */
  method?: HttpMethod;
  /** Path below the base URL, starting with '/'. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Makes a POST safe to retry; the upstream deduplicates on it. */
  idempotencyKey?: string;
  /** Overrides the client's deadline for this call. */
  timeoutMs?: number;
  /** Stable label for logs, with ids replaced: 'GET /orders/:id'. @default method + path */
  route?: string;
}

/**
 * The one HTTP client a subgraph uses for its upstream: a keep-alive pool
 * (undici), a deadline on every call, OAuth2 bearer tokens with one
 * transparent retry when the upstream refuses an expired token, the request id
 * and trace context passed on, and every failure turned into an
 * `UpstreamError` with a stable code.
 */
export class RestClient {
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: RestClientOptions) {
    const base = new URL(options.baseUrl);
    this.pathPrefix = base.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.pool = new Pool(base.origin, {
      connections: options.connections ?? 64,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      connect: { timeout: Math.min(this.timeoutMs, 5_000) },
    });
  }

  get upstream(): string {
    return this.options.upstream;
  }

  async request<T>(req: RestRequest, ctx: CallContext = {}): Promise<T> {
    const method = req.method ?? 'GET';
    const route = req.route ?? `${method} ${req.path}`;
    const path = this.pathPrefix + req.path + toQueryString(req.query);
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([deadline, ctx.signal]) : deadline;
    const log = ctx.logger ?? this.options.logger;
    const started = performance.now();

    const headers: Record<string, string> = { accept: 'application/json' };
    if (ctx.requestId) headers['x-request-id'] = ctx.requestId;
    if (ctx.traceparent) headers.traceparent = ctx.traceparent;
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }

    const { tokenProvider } = this.options;
    for (let attempt = 1; ; attempt++) {
      let token: string | undefined;
      if (tokenProvider) {
        token = await tokenProvider.getToken();
        headers.authorization = `Bearer ${token}`;
      }
      let status: number;
      let responseHeaders: Record<string, string | string[] | undefined>;
      let text: string;
      try {
        const response = await this.pool.request({ method, path, headers, body, signal });
        status = response.statusCode;
        responseHeaders = response.headers;
        text = await response.body.text();
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        const timedOut = deadline.aborted;
        log.warn(
          { upstream: this.upstream, route, durationMs, timedOut, err: error },
          'upstream call failed',
        );
        throw timedOut
          ? new UpstreamError(
              ErrorCode.UPSTREAM_TIMEOUT,
              this.upstream,
              `The ${this.upstream.toUpperCase()} system did not answer within ${timeoutMs} ms.`,
              { route, cause: error },
            )
          : new UpstreamError(
              ErrorCode.UPSTREAM_UNAVAILABLE,
              this.upstream,
              `The ${this.upstream.toUpperCase()} system is unavailable.`,
              { route, cause: error },
            );
      }

      // An expired or revoked token: fetch a fresh one and try once more.
      if (status === 401 && token !== undefined && attempt === 1) {
        tokenProvider?.invalidate(token);
        log.info({ upstream: this.upstream, route }, 'upstream refused token; refreshing');
        continue;
      }

      const durationMs = Math.round(performance.now() - started);
      if (status >= 200 && status < 300) {
        log.debug({ upstream: this.upstream, route, status, durationMs }, 'upstream call');
        if (text === '') return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch (error) {
          log.error({ upstream: this.upstream, route, status }, 'upstream sent malformed JSON');
          throw new UpstreamError(
            ErrorCode.UPSTREAM_UNAVAILABLE,
            this.upstream,
            `The ${this.upstream.toUpperCase()} system sent an unreadable response.`,
            { status, route, cause: error },
          );
        }
      }
      const error = upstreamErrorFromStatus(this.upstream, status, {
        route,
        body: text.slice(0, 1_000),
        retryAfterSeconds: parseRetryAfter(responseHeaders['retry-after']),
      });
      // 404 is an answer, not a failure: the caller decides what it means.
      const level = status === 404 ? 'debug' : status >= 500 || status === 401 ? 'error' : 'warn';
      log[level](
        { upstream: this.upstream, route, status, durationMs, body: error.detail.body },
        'upstream call rejected',
      );
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names a weekday or month; Date.parse would also take "-5" or "12".
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
