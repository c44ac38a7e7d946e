import { performance } from 'node:perf_hooks';

import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCode, INTERNAL_IDENTITY_HEADER, noTracing } from '@bff/core';
import type { Logger, Tracing } from '@bff/core';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';

import type { GatewayContext } from '../context.js';
import type { SubgraphFetchMetrics } from '../metrics/subgraphFetchMetrics.js';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  /** Shared keep-alive pool of the gateway. */
  dispatcher: Dispatcher;
  /** Deadline of one fetch, in milliseconds. */
  timeoutMs: number;
  logger: Logger;
  /** Where fetch durations and failures are counted; none in unit tests. */
  metrics?: SubgraphFetchMetrics;
  /** A client span per fetch, child of the request's span. @default off */
  tracing?: Tracing;
}

interface Observer {
  observe(seconds: number): void;
}
interface Incrementer {
  inc(): void;
}
const noObserver: Observer = { observe: () => undefined };
const noIncrementer: Incrementer = { inc: () => undefined };

/**
 * Sends the gateway's subgraph fetches over undici's keep-alive pool: no
 * node-fetch objects per fetch as the stock RemoteGraphQLDataSource makes, a
 * deadline on each fetch, the request id, trace context and signed consumer
 * identity passed on, and a
 * failed fetch reported with a stable code and the subgraph's name, never its
 * URL or response body.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly origin: string;
  private readonly path: string;
  // Bound to this subgraph's labels once, not per fetch.
  private readonly fetched: Record<'ok' | 'timeout' | 'unavailable', Observer>;
  private readonly failed: Record<'timeout' | 'unavailable', Incrementer>;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.origin = url.origin;
    this.path = url.pathname + url.search;
    const { metrics, name: subgraph } = options;
    const duration = (outcome: string) =>
      metrics ? metrics.duration.labels({ subgraph, outcome }) : noObserver;
    const errors = (code: string) =>
      metrics ? metrics.errors.labels({ subgraph, code }) : noIncrementer;
    this.fetched = {
      ok: duration('ok'),
      timeout: duration('timeout'),
      unavailable: duration('unavailable'),
    };
    this.failed = {
      timeout: errors(ErrorCode.SUBGRAPH_TIMEOUT),
      unavailable: errors(ErrorCode.SUBGRAPH_UNAVAILABLE),
    };
  }

  async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as Partial<GatewayContext>;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    // Headers the gateway itself asks for (e.g. federated tracing).
    if (request.http) for (const [key, value] of request.http.headers) headers[key] = value;
    if (context.requestId) headers['x-request-id'] = context.requestId;
    const span = (this.options.tracing ?? noTracing).startSpan(`subgraph ${this.options.name}`, {
      kind: 'client',
      parent: context.traceparent,
      attributes: {
        'graphql.subgraph.name': this.options.name,
        ...(request.operationName ? { 'graphql.operation.name': request.operationName } : {}),
      },
    });
    if (span.traceparent) headers.traceparent = span.traceparent;
    // The verified consumer, signed, for the subgraph's own checks.
    if (context.identityToken) headers[INTERNAL_IDENTITY_HEADER] = context.identityToken;
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
      ...(request.extensions ? { extensions: request.extensions } : {}),
    });

    const started = performance.now();
    let status: number;
    let text: string;
    try {
      ({ status, text } = await post(
        this.options.dispatcher,
        { origin: this.origin, path: this.path, method: 'POST', headers, body },
        this.options.timeoutMs,
      ));
    } catch (error) {
      const kind = error instanceof FetchTimeout ? 'timeout' : 'unavailable';
      span.end({
        error: kind === 'timeout' ? ErrorCode.SUBGRAPH_TIMEOUT : ErrorCode.SUBGRAPH_UNAVAILABLE,
      });
      throw this.failure(kind, context, { err: error, started });
    }
    span.setAttributes({ 'http.response.status_code': status });

    // A GraphQL server answers errors it understood (invalid operation, …)
    // with a GraphQL body even on 4xx; pass those on for the gateway to map.
    const parsed = parseGraphQLResponse(text);
    if (parsed === undefined || (status >= 500 && parsed.data === undefined)) {
      span.end({ error: ErrorCode.SUBGRAPH_UNAVAILABLE });
      throw this.failure('unavailable', context, { status, body: text.slice(0, 500), started });
    }
    span.end();
    this.fetched.ok.observe((performance.now() - started) / 1_000);
    return parsed;
  }

  private failure(
    kind: 'timeout' | 'unavailable',
    context: Partial<GatewayContext>,
    detail: { err?: unknown; status?: number; body?: string; started: number },
  ): GraphQLError {
    const { name } = this.options;
    const elapsedMs = performance.now() - detail.started;
    this.fetched[kind].observe(elapsedMs / 1_000);
    this.failed[kind].inc();
    const durationMs = Math.round(elapsedMs);
    const log = context.logger ?? this.options.logger;
    log.error(
      { subgraph: name, durationMs, status: detail.status, body: detail.body, err: detail.err },
      'subgraph fetch failed',
    );
    return kind === 'timeout'
      ? new GraphQLError(
          `The ${name} service did not answer within ${this.options.timeoutMs} ms.`,
          {
            extensions: { code: ErrorCode.SUBGRAPH_TIMEOUT, serviceName: name },
          },
        )
      : new GraphQLError(`The ${name} service is unavailable.`, {
          extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: name },
        });
  }
}

/** The fetch's deadline passed before the whole answer was in. */
class FetchTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * One request on the pool, its answer's status and body as text. Straight
 * on undici's dispatcher rather than its `request()`: no response stream,
 * abort signal or promise chain per fetch, the body's chunks are joined once.
 * The deadline is a plain timer cleared on completion (an
 * `AbortSignal.timeout` per fetch is a signal, a listener and a timer that
 * still fires, making a DOMException, long after the answer came).
 */
function post(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let timedOut: FetchTimeout | undefined;
    let status = 0;
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      timedOut = new FetchTimeout(timeoutMs);
      // Still queued for a connection: aborted as soon as it starts.
      controller?.abort(timedOut);
      settle(timedOut);
    }, timeoutMs);
    function settle(error: Error | undefined) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        reject(error);
        return;
      }
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      resolve({ status, text: body.toString('utf8') });
    }
    dispatcher.dispatch(options, {
      onRequestStart(started) {
        controller = started;
        if (timedOut) started.abort(timedOut);
      },
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
        size += chunk.length;
      },
      onResponseEnd() {
        settle(undefined);
      },
      onResponseError(_controller, error) {
        settle(timedOut ?? error);
      },
    });
  });
}

function parseGraphQLResponse(text: string): GatewayGraphQLResponse | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const response = value as GatewayGraphQLResponse;
    return 'data' in response || 'errors' in response ? response : undefined;
  } catch {
    return undefined;
  }
}
