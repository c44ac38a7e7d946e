import { performance } from 'node:perf_hooks';

import { Pool } from 'undici';

import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TokenProvider } from './ClientCredentialsTokenProvider.js';
import { sleep, untilAborted } from './abortable.js';
import { abortError, attemptError, isUndiciTimeout, retryReasonOf } from './attempt.js';
import type { Attempt } from './attempt.js';
import { InFlightLimiter, LimiterRejection } from './InFlightLimiter.js';
import { notify } from './RestClientObserver.js';
import type {
  CallCompletedEvent,
  CircuitStateName,
  RestClientObserver,
} from './RestClientObserver.js';
import { fullJitterDelayMs, isIdempotent } from './retryPolicy.js';
import type { RetryOptions } from './retryPolicy.js';
import { CircuitOpenError, UpstreamCircuitBreaker } from './UpstreamCircuitBreaker.js';
import type { CircuitBreakerOptions } from './UpstreamCircuitBreaker.js';
import { noTracing } from '../tracing/Tracing.js';
import type { Tracing } from '../tracing/Tracing.js';
import { UpstreamError } from './UpstreamError.js';

export { parseRetryAfter } from './parseRetryAfter.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface RestClientOptions {
  /** Upstream name ('erp'), in errors and logs. */
  upstream: string;
  /** Base URL, optionally with a path prefix: https://erp.example.com/api/v2 */
  baseUrl: string;
  /**
   * Deadline of one call, from the first attempt to the last byte of the
   * body: retries, backoff and waiting for a slot all spend from it.
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
  /** Retries of idempotent calls; none when absent (a readiness probe wants none). */
  retry?: RetryOptions;
  /** A circuit breaker for this upstream; none when absent. */
  breaker?: CircuitBreakerOptions;
  /**
   * Calls in flight at once; the rest wait in a queue within their deadline.
   * @default unlimited
   */
  maxInFlight?: number;
  /**
   * Calls that may wait for a slot; beyond it a call fails at once.
   * @default 4 × maxInFlight
   */
  maxQueued?: number;
  /** Metrics hooks; see `RestClientObserver`. */
  observer?: RestClientObserver;
  /** A client span per call, child of the caller's `traceparent`, which it replaces downstream. */
  tracing?: Tracing;
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
  /**
   * Whether the call may be sent again after a failure. Set it on a POST that
   * only reads (a batch-get), which is safe to repeat without a key.
   * @default true for GET, HEAD, PUT and DELETE; for POST and PATCH, whether an idempotencyKey is given
   */
  idempotent?: boolean;
  /** Overrides the client's deadline for this call. */
  timeoutMs?: number;
  /** Stable label for logs, with ids replaced: 'GET /orders/:id'. @default method + path */
  route?: string;
}

/** One call's facts, shared by its attempts. */
interface Call {
  method: HttpMethod;
  route: string;
  timeoutMs: number;
  started: number;
  deadlineAt: number;
  /** Fires when the call's whole budget is spent. */
  deadline: AbortSignal;
  /** The deadline or the caller's abort, whichever comes first. */
  signal: AbortSignal;
  log: Logger;
  attempts: number;
  status: number | undefined;
}

/**
 * The one HTTP client a subgraph uses for its upstream: a keep-alive pool
 * (undici), a deadline on every call, OAuth2 bearer tokens with one
 * transparent retry when the upstream refuses an expired token, the request id
 * and trace context passed on, and every failure turned into an
 * `UpstreamError` with a stable code.
 *
 * Resilience, each part opt-in through the options: retries of idempotent
 * calls with full-jitter backoff or the upstream's Retry-After, a circuit
 * breaker, and a cap on calls in flight. All of it spends from the call's one
 * deadline. Order of one attempt: circuit check (fail fast), a slot, a token,
 * the request through the breaker.
 */
export class RestClient {
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly breaker: UpstreamCircuitBreaker<Attempt> | undefined;
  private readonly limiter: InFlightLimiter | undefined;

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
    this.retry = {
      retries: options.retry ? (options.retry.retries ?? 2) : 0,
      baseDelayMs: options.retry?.baseDelayMs ?? 50,
      maxDelayMs: options.retry?.maxDelayMs ?? 1_000,
      random: options.retry?.random ?? Math.random,
    };
    this.breaker = options.breaker
      ? new UpstreamCircuitBreaker<Attempt>(
          options.breaker,
          (attempt) => this.isBreakerFailure(attempt),
          (state) => this.circuitChanged(state),
        )
      : undefined;
    this.limiter =
      options.maxInFlight !== undefined
        ? new InFlightLimiter(options.maxInFlight, options.maxQueued ?? options.maxInFlight * 4)
        : undefined;
  }

  get upstream(): string {
    return this.options.upstream;
  }

  /** The circuit's state, or 'closed' without a breaker (for readiness and tests). */
  get circuitState(): CircuitStateName {
    return this.breaker?.state ?? 'closed';
  }

  async request<T>(req: RestRequest, ctx: CallContext = {}): Promise<T> {
    const method = req.method ?? 'GET';
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    const call: Call = {
      method,
      route: req.route ?? `${method} ${req.path}`,
      timeoutMs,
      started,
      deadlineAt: started + timeoutMs,
      deadline,
      signal: ctx.signal ? AbortSignal.any([deadline, ctx.signal]) : deadline,
      log: ctx.logger ?? this.options.logger,
      attempts: 0,
      status: undefined,
    };

    const span = (this.options.tracing ?? noTracing).startSpan(call.route, {
      kind: 'client',
      parent: ctx.traceparent,
      attributes: { 'upstream.name': this.upstream, 'http.request.method': method },
    });
    const headers: Record<string, string> = { accept: 'application/json' };
    if (ctx.requestId) headers['x-request-id'] = ctx.requestId;
    if (span.traceparent) headers.traceparent = span.traceparent;
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const path = this.pathPrefix + req.path + toQueryString(req.query);
    const retries =
      (req.idempotent ?? isIdempotent(method, req.idempotencyKey)) ? this.retry.retries : 0;

    try {
      const result = await this.run<T>(call, path, headers, body, retries);
      this.callCompleted(call, 'ok');
      span.setAttributes(spanAttributesOf(call));
      span.end();
      return result;
    } catch (error) {
      const code = error instanceof UpstreamError ? error.code : ErrorCode.UPSTREAM_UNAVAILABLE;
      this.callCompleted(call, code);
      span.setAttributes(spanAttributesOf(call));
      span.end({ error: code });
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async run<T>(
    call: Call,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    retries: number,
  ): Promise<T> {
    let retry = 0;
    let refreshed = false;
    for (;;) {
      const attempt = await this.attempt(call, path, headers, body);

      // An expired or revoked token: fetch a fresh one and send again at once.
      // This is not a retry: the upstream refused before doing anything.
      if (attempt.kind === 'response' && attempt.status === 401 && attempt.token && !refreshed) {
        refreshed = true;
        this.options.tokenProvider?.invalidate(attempt.token);
        call.log.info(
          { upstream: this.upstream, route: call.route },
          'upstream refused token; refreshing',
        );
        continue;
      }
      if (attempt.kind === 'response' && attempt.status >= 200 && attempt.status < 300) {
        return this.parse<T>(call, attempt);
      }

      const error = attemptError(this.upstream, call, attempt);
      const reason = retryReasonOf(attempt);
      if (reason !== undefined && retry < retries) {
        const delayMs = this.delayBefore(retry, attempt, error);
        // A retry that could not start before the deadline is not made: the
        // caller learns what went wrong rather than that time ran out.
        if (performance.now() + delayMs < call.deadlineAt) {
          retry += 1;
          const event = {
            upstream: this.upstream,
            route: call.route,
            attempt: call.attempts + 1,
            delayMs,
            reason,
          };
          call.log.info(
            { ...event, ...(attempt.kind === 'response' ? { status: attempt.status } : {}) },
            'upstream call retried',
          );
          notify(this.options.observer?.retried, this.options.observer, event, call.log);
          if (await sleep(delayMs, call.signal)) continue;
          throw abortError(this.upstream, call, undefined);
        }
      }
      this.logFailure(call, attempt, error);
      throw error;
    }
  }

  /** One try: circuit check, a slot, a token, the request through the breaker. */
  private async attempt(
    call: Call,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Attempt> {
    if (this.breaker?.rejectsCalls()) return { kind: 'circuit-open' };
    let release: (() => void) | undefined;
    if (this.limiter) {
      try {
        release = await this.limiter.acquire(call.signal);
      } catch (error) {
        if (!(error instanceof LimiterRejection)) throw error;
        if (error.reason === 'queue-full') return { kind: 'overloaded', reason: 'queue-full' };
        if (call.deadline.aborted) return { kind: 'overloaded', reason: 'queue-timeout' };
        return { kind: 'aborted', error };
      }
    }
    try {
      const sent = { ...headers };
      let token: string | undefined;
      const { tokenProvider } = this.options;
      if (tokenProvider) {
        try {
          token = await untilAborted(tokenProvider.getToken(), call.signal);
        } catch (error) {
          if (!call.signal.aborted) throw error;
          return call.deadline.aborted ? { kind: 'timeout', error } : { kind: 'aborted', error };
        }
        sent.authorization = `Bearer ${token}`;
      }
      const send = () => this.send(call, path, sent, body, token);
      if (!this.breaker) return await send();
      try {
        return await this.breaker.execute(send);
      } catch (error) {
        if (error instanceof CircuitOpenError) return { kind: 'circuit-open' };
        throw error;
      }
    } finally {
      release?.();
    }
  }

  private async send(
    call: Call,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    token: string | undefined,
  ): Promise<Attempt> {
    call.attempts += 1;
    const { method, signal } = call;
    try {
      const response = await this.pool.request({ method, path, headers, body, signal });
      const text = await response.body.text();
      call.status = response.statusCode;
      return {
        kind: 'response',
        status: response.statusCode,
        headers: response.headers,
        text,
        token,
      };
    } catch (error) {
      if (call.deadline.aborted) return { kind: 'timeout', error };
      if (signal.aborted) return { kind: 'aborted', error };
      return { kind: 'transport', error, timedOut: isUndiciTimeout(error) };
    }
  }

  /**
   * What the breaker counts: the upstream not answering in time or at all, or
   * answering 5xx (but 501). A 4xx, 404 or 429 is the upstream up and
   * talking. A half-open trial abandoned by its caller proves nothing, so it
   * keeps the circuit open rather than closing it blind.
   */
  private isBreakerFailure(attempt: Attempt): boolean {
    switch (attempt.kind) {
      case 'transport':
      case 'timeout':
        return true;
      case 'response':
        return attempt.status >= 500 && attempt.status !== 501;
      case 'aborted':
        return this.breaker?.state === 'half-open';
      default:
        return false;
    }
  }

  /** Retry-After on a 429 or 503 when it came, else full-jitter backoff. */
  private delayBefore(retry: number, attempt: Attempt, error: UpstreamError): number {
    const retryAfter = error.detail.retryAfterSeconds;
    if (
      attempt.kind === 'response' &&
      (attempt.status === 429 || attempt.status === 503) &&
      retryAfter !== undefined
    ) {
      return retryAfter * 1000;
    }
    return fullJitterDelayMs(retry, this.retry);
  }

  private parse<T>(call: Call, attempt: Extract<Attempt, { kind: 'response' }>): T {
    const { status, text } = attempt;
    const durationMs = Math.round(performance.now() - call.started);
    call.log.debug(
      { upstream: this.upstream, route: call.route, status, durationMs, attempts: call.attempts },
      'upstream call',
    );
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      call.log.error(
        { upstream: this.upstream, route: call.route, status },
        'upstream sent malformed JSON',
      );
      throw new UpstreamError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        this.upstream,
        `The ${this.upstream.toUpperCase()} system sent an unreadable response.`,
        { status, route: call.route, cause: error },
      );
    }
  }

  private logFailure(call: Call, attempt: Attempt, error: UpstreamError): void {
    const durationMs = Math.round(performance.now() - call.started);
    const fields = {
      upstream: this.upstream,
      route: call.route,
      durationMs,
      attempts: call.attempts,
    };
    if (attempt.kind === 'response') {
      const { status } = attempt;
      // 404 is an answer, not a failure: the caller decides what it means.
      const level = status === 404 ? 'debug' : status >= 500 || status === 401 ? 'error' : 'warn';
      call.log[level]({ ...fields, status, body: error.detail.body }, 'upstream call rejected');
      return;
    }
    call.log.warn(
      {
        ...fields,
        timedOut: attempt.kind === 'timeout',
        ...(error.detail.reason ? { reason: error.detail.reason } : {}),
        ...('error' in attempt ? { err: attempt.error } : {}),
      },
      'upstream call failed',
    );
  }

  private callCompleted(call: Call, outcome: CallCompletedEvent['outcome']): void {
    const event: CallCompletedEvent = {
      upstream: this.upstream,
      route: call.route,
      method: call.method,
      outcome,
      ...(call.status !== undefined ? { status: call.status } : {}),
      durationMs: Math.round(performance.now() - call.started),
      attempts: call.attempts,
    };
    notify(this.options.observer?.callCompleted, this.options.observer, event, call.log);
  }

  private circuitChanged(state: CircuitStateName): void {
    const { logger, observer } = this.options;
    const fields = { upstream: this.upstream, circuit: state };
    if (state === 'open') {
      logger.warn(
        { ...fields, openMs: this.options.breaker?.openMs ?? 30_000 },
        'upstream circuit opened; failing fast',
      );
    } else if (state === 'closed') {
      logger.info(fields, 'upstream circuit closed');
    } else {
      logger.info(fields, 'upstream circuit half-open; sending one trial call');
    }
    notify(observer?.circuitChanged, observer, { upstream: this.upstream, state }, logger);
  }
}

function spanAttributesOf(call: Call): Record<string, number> {
  return {
    'http.request.resend_count': Math.max(0, call.attempts - 1),
    ...(call.status !== undefined ? { 'http.response.status_code': call.status } : {}),
  };
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
