import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Metric } from 'prom-client';

import { BoundedLabel } from './BoundedLabel.js';

export type HttpRequestLabel = 'method' | 'route' | 'status_code' | 'operation' | 'client';

/**
 * One service's Prometheus registry and the series every service has. Each
 * service gets its own registry (never prom-client's global one): the test
 * stacks run nine services in one process, and each must show its own
 * counts, under its own `service` label, on its own /metrics.
 */
export interface ServiceMetrics {
  readonly service: string;
  /** Everything this service's /metrics serves; services register their own series here. */
  readonly registry: Registry;
  /** Every request but probes, by method, route pattern and status (and operation and client on /graphql). */
  readonly httpRequestDuration: Histogram<HttpRequestLabel>;
  /** Operation names as label values: bounded, they come from callers. */
  readonly operations: BoundedLabel;
  /** `apollographql-client-name` values as label values: bounded, they come from callers. */
  readonly clients: BoundedLabel;
}

/**
 * Seconds. From 1 ms (a gateway answering from its caches) to 10 s (past
 * every deadline we set), dense around the tens of milliseconds where most
 * operations land.
 */
export const durationBuckets = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

let processRegistry: Registry | undefined;

/**
 * Process metrics (CPU, memory, heap, event-loop lag, GC, handles) are
 * collected once per process and shown in every service's registry, each
 * under its own `service` label (default labels are applied when a registry
 * is rendered, so one metric object can sit in several registries).
 * Collecting them per service would add a GC observer and an event-loop
 * timer for every service started, which the test suites do by the dozen.
 */
function processMetrics(): readonly Metric[] {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  // getMetricsAsArray is typed as plain objects; they are the metrics themselves.
  return processRegistry.getMetricsAsArray() as unknown as Metric[];
}

/** A service's metrics: a registry of its own, labelled `service`, with the process metrics in it. */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  for (const metric of processMetrics()) registry.registerMetric(metric);
  return {
    service,
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests served, probes (/health, /ready, /metrics) excepted, by method, route pattern and status code; on /graphql also by operation name and client name.',
      labelNames: ['method', 'route', 'status_code', 'operation', 'client'],
      buckets: durationBuckets,
      registers: [registry],
    }),
    operations: new BoundedLabel(),
    clients: new BoundedLabel(),
  };
}

/** GET /metrics: the registry in Prometheus's text format. */
export function metricsHandler(metrics: ServiceMetrics): RequestHandler {
  return (_req, res, next) => {
    metrics.registry.metrics().then((text) => {
      res.type(metrics.registry.contentType).send(text);
    }, next);
  };
}
