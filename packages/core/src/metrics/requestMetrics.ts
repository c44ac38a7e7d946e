import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';

import { pathOf } from '../http/requestLogging.js';
import type { ServiceMetrics } from './serviceMetrics.js';

/** Polled every few seconds by orchestrators and Prometheus: they would drown the traffic. */
const probePaths = new Set(['/health', '/ready', '/metrics']);

/** Methods are a label: anything outside HTTP's usual ones is `other`. */
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const GRAPHQL_ROUTE = '/graphql';

interface Measure {
  readonly metrics: ServiceMetrics;
  readonly started: number;
  /** Served by graphqlHttpHandler: labelled with operation and client too. */
  graphql: boolean;
  /** The operation's name once Apollo resolved it; `anonymous` when it has none. */
  operation: string | undefined;
}

const measures = new WeakMap<IncomingMessage, Measure>();
/**
 * Where a GraphQL request's context carries its measure, for the plugin
 * (Apollo gives plugins the context only). A property, not a WeakMap keyed
 * by the context: Apollo hands plugins a shallow copy of the context, which
 * copies enumerable symbol properties but is not the same object.
 */
const measureKey = Symbol('requestMetrics');

/**
 * Starts timing a request for `http_server_request_duration_seconds`; it is
 * recorded when the response is done or the client goes away. Calling it
 * again for the same request does nothing, so a node-level wrapper and the
 * express middleware can both be in place. Probes are not timed.
 */
export function beginRequestMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: ServiceMetrics,
): void {
  if (measures.has(req) || probePaths.has(pathOf(req.url))) return;
  measures.set(req, { metrics, started: performance.now(), graphql: false, operation: undefined });
  // One shared listener, not a closure per request: it finds the request through `res.req`.
  res.once('close', recordRequest);
}

/** `beginRequestMetrics` around a plain node:http listener. */
export function withRequestMetrics(
  metrics: ServiceMetrics,
  listener: RequestListener,
): RequestListener {
  return (req, res) => {
    beginRequestMetrics(req, res, metrics);
    listener(req, res);
  };
}

/**
 * Marks a request as served by a GraphQL handler outside express (route
 * `/graphql`, operation and client labels) and ties its context to it, so
 * the plugin below can name the operation. Returns the context.
 */
export function measureGraphQLRequest<C extends object>(req: IncomingMessage, context: C): C {
  const measure = measures.get(req);
  if (measure) {
    measure.graphql = true;
    (context as Record<symbol, unknown>)[measureKey] = measure;
  }
  return context;
}

/** Marks a request as GraphQL before its context exists (it may never: a 413, a 401). */
export function markGraphQLRequest(req: IncomingMessage): void {
  const measure = measures.get(req);
  if (measure) measure.graphql = true;
}

// One listener for every request: no closure per request on the hot path.
const operationListener: GraphQLRequestListener<BaseContext> = {
  async didResolveOperation({ operationName, contextValue }) {
    const measure = (contextValue as Record<symbol, Measure | undefined>)[measureKey];
    if (measure) measure.operation = operationName ? ownName(operationName) : 'anonymous';
  },
};

/**
 * @apollo/gateway names each subgraph fetch `<operation>__<subgraph>__<n>`;
 * a subgraph counts it under the client's operation, so that one operation
 * with three fetches is one series, not three.
 */
const gatewayFetchSuffix = /__[A-Za-z0-9_]+?__\d+$/;

function ownName(operationName: string): string {
  const own = operationName.replace(gatewayFetchSuffix, '');
  return own === '' ? operationName : own;
}

/**
 * Names the operation in the request's `operation` label once Apollo has
 * resolved it. Requests that never get that far (a parse or validation
 * error, refused credentials) read `unknown`.
 */
export function operationMetricsPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return operationListener as GraphQLRequestListener<C>;
    },
  };
}

function recordRequest(this: ServerResponse): void {
  const { req } = this;
  const measure = measures.get(req);
  if (!measure) return;
  const { metrics } = measure;
  const seconds = (performance.now() - measure.started) / 1_000;
  const method = knownMethods.has(req.method ?? '') ? (req.method as string) : 'other';
  // A response the client did not wait for has no status it received.
  const status = this.writableFinished ? String(this.statusCode) : 'aborted';
  if (measure.graphql) {
    const client = req.headers['apollographql-client-name'];
    metrics.httpRequestDuration.observe(
      {
        method,
        route: GRAPHQL_ROUTE,
        status_code: status,
        operation:
          measure.operation === undefined ? 'unknown' : metrics.operations.of(measure.operation),
        client:
          typeof client === 'string' && client !== '' ? metrics.clients.of(client) : 'unknown',
      },
      seconds,
    );
    return;
  }
  metrics.httpRequestDuration.observe(
    { method, route: routeOf(req), status_code: status },
    seconds,
  );
}

/**
 * The route pattern express matched (`/pages/orders/:id`, with the router's
 * mount path in front), never the URL: ids in URLs would make a series per
 * entity. Requests no route matched (404s, errors before routing) read
 * `unmatched`.
 */
function routeOf(req: IncomingMessage): string {
  const { route, baseUrl } = req as IncomingMessage & {
    route?: { path?: unknown };
    baseUrl?: string;
  };
  const path = route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return baseUrl ? baseUrl + path : path;
}
