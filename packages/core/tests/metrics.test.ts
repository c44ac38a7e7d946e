import { ApolloServer } from '@apollo/server';
import express from 'express';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createHttpApp, finishHttpApp } from '../src/http/createHttpApp.js';
import { graphqlHttpHandler } from '../src/http/graphqlHttpHandler.js';
import { pathOf, withRequestLogging } from '../src/http/requestLogging.js';
import { startHttpServer } from '../src/http/startHttpServer.js';
import type { RunningHttpServer } from '../src/http/startHttpServer.js';
import { createLogger } from '../src/logger.js';
import { BoundedLabel } from '../src/metrics/BoundedLabel.js';
import { operationMetricsPlugin, withRequestMetrics } from '../src/metrics/requestMetrics.js';
import { createServiceMetrics } from '../src/metrics/serviceMetrics.js';
import { upstreamMetricsObserver } from '../src/metrics/upstreamMetrics.js';

/** The value of one sample (`_count` of a histogram, a counter, a gauge) whose labels include `labels`. */
async function sample(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
  metricName = name,
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const found = values.find(
    (v) =>
      ((v as { metricName?: string }).metricName ?? name) === metricName &&
      Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  );
  return found?.value;
}

const requests = (registry: Registry, labels: Record<string, string>) =>
  sample(
    registry,
    'http_server_request_duration_seconds',
    labels,
    'http_server_request_duration_seconds_count',
  );

describe('BoundedLabel', () => {
  it('keeps the first values as they are and reads "other" once the budget is spent', () => {
    const label = new BoundedLabel(3);
    expect(['a', 'b', 'c'].map((v) => label.of(v))).toEqual(['a', 'b', 'c']);
    expect(label.of('d')).toBe('other');
    expect(label.of('e')).toBe('other');
    // Values already kept stay kept.
    expect(label.of('b')).toBe('b');
    expect(label.size).toBe(3);
  });

  it('reads "other" for a value longer than allowed, without spending the budget', () => {
    const label = new BoundedLabel(2, 10);
    expect(label.of('x'.repeat(11))).toBe('other');
    expect(label.of('short')).toBe('short');
    expect(label.size).toBe(1);
  });

  it('defaults to 200 distinct values', () => {
    const label = new BoundedLabel();
    for (let i = 0; i < 200; i++) expect(label.of(`op${i}`)).toBe(`op${i}`);
    expect(label.of('op200')).toBe('other');
  });
});

describe('createServiceMetrics', () => {
  it('gives each service its own registry, labelled with its name, process metrics included', async () => {
    const a = createServiceMetrics('service-a');
    const b = createServiceMetrics('service-b');
    a.httpRequestDuration.observe({ method: 'GET', route: '/x', status_code: '200' }, 0.01);
    const textA = await a.registry.metrics();
    const textB = await b.registry.metrics();
    expect(textA).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*service="service-a"[^}]*\} 1/,
    );
    expect(textB).not.toMatch(/http_server_request_duration_seconds_count\{/);
    expect(textA).toMatch(/process_cpu_user_seconds_total\{service="service-a"\}/);
    expect(textB).toMatch(/process_cpu_user_seconds_total\{service="service-b"\}/);
    expect(textB).toMatch(/nodejs_eventloop_lag_seconds\{service="service-b"\}/);
  });
});

describe('request metrics on createHttpApp', () => {
  const logger = createLogger({ service: 'metrics-test', level: 'silent' });
  const metrics = createServiceMetrics('metrics-test');
  let server: RunningHttpServer;
  beforeAll(async () => {
    const app = createHttpApp({ logger, metrics });
    app.get('/items/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    const admin = express.Router();
    admin.get('/counters', (_req, res) => {
      res.json({});
    });
    app.use('/__admin', admin);
    server = await startHttpServer(finishHttpApp(app), { port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('labels requests by the route pattern, never the URL, and unmatched ones as such', async () => {
    for (const id of ['1', '2', '3']) await (await fetch(`${server.url}/items/${id}`)).text();
    await (await fetch(`${server.url}/__admin/counters`)).text();
    await (await fetch(`${server.url}/no/such/thing`)).text();
    await vi.waitFor(async () => {
      expect(
        await requests(metrics.registry, {
          method: 'GET',
          route: '/items/:id',
          status_code: '200',
        }),
      ).toBe(3);
      expect(
        await requests(metrics.registry, {
          method: 'GET',
          route: '/__admin/counters',
          status_code: '200',
        }),
      ).toBe(1);
      expect(
        await requests(metrics.registry, { method: 'GET', route: 'unmatched', status_code: '404' }),
      ).toBe(1);
    });
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('/items/1');
    expect(text).not.toContain('/no/such/thing');
  });

  it('serves /metrics in the Prometheus text format and does not count probes', async () => {
    await fetch(`${server.url}/health`);
    await fetch(`${server.url}/ready`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).not.toMatch(/route="\/(health|ready|metrics)"/);
  });

  it("names its registry after the logger's service when given none", async () => {
    const app = finishHttpApp(
      createHttpApp({ logger: createLogger({ service: 'named', level: 'silent' }) }),
    );
    const http = await startHttpServer(app, { port: 0 });
    try {
      const text = await (await fetch(`${http.url}/metrics`)).text();
      expect(text).toMatch(/process_cpu_user_seconds_total\{service="named"\}/);
    } finally {
      await http.close();
    }
  });
});

describe('request metrics on /graphql', () => {
  const logger = createLogger({ service: 'graphql-metrics-test', level: 'silent' });
  const metrics = createServiceMetrics('graphql-metrics-test');
  let apollo: ApolloServer;
  let server: RunningHttpServer;
  beforeAll(async () => {
    apollo = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hello' } },
      logger,
      plugins: [operationMetricsPlugin()],
    });
    await apollo.start();
    const graphql = graphqlHttpHandler(apollo, { maxBodyBytes: 1_000, context: async () => ({}) });
    const app = finishHttpApp(createHttpApp({ logger, metrics }));
    server = await startHttpServer(
      withRequestLogging(
        logger,
        withRequestMetrics(metrics, (req, res) =>
          pathOf(req.url) === '/graphql' ? graphql(req, res) : app(req, res),
        ),
      ),
      { port: 0 },
    );
  });
  afterAll(async () => {
    await server.close();
    await apollo.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).then((r) => r.text());

  it('labels the operation by its resolved name and the client by apollographql-client-name', async () => {
    await post({ query: 'query Greeting { hello }' }, { 'apollographql-client-name': 'web' });
    await post({ query: 'query Greeting { hello }' }, { 'apollographql-client-name': 'web' });
    await post({ query: '{ hello }' });
    await post({ query: '{ nope' }, { 'apollographql-client-name': 'web' });
    // A subgraph fetch as @apollo/gateway names it counts under the client's operation.
    await post(
      { query: 'query Greeting__erp__0 { hello }' },
      { 'apollographql-client-name': 'web' },
    );
    await vi.waitFor(async () => {
      expect(
        await requests(metrics.registry, {
          route: '/graphql',
          operation: 'Greeting',
          client: 'web',
          status_code: '200',
        }),
      ).toBe(3);
      expect(await requests(metrics.registry, { operation: 'anonymous', client: 'unknown' })).toBe(
        1,
      );
      expect(
        await requests(metrics.registry, {
          operation: 'unknown',
          client: 'web',
          status_code: '400',
        }),
      ).toBe(1);
    });
  });

  it('bounds operation and client names that callers make up', async () => {
    for (let i = 0; i < 205; i++) {
      await post({ query: `query Op${i} { hello }` }, { 'apollographql-client-name': `c${i}` });
    }
    await vi.waitFor(async () => {
      expect(
        await requests(metrics.registry, { operation: 'other', client: 'other' }),
      ).toBeGreaterThan(0);
    });
    const { values } = await metrics.httpRequestDuration.get();
    const operations = new Set(values.map((v) => v.labels.operation).filter(Boolean));
    const clients = new Set(values.map((v) => v.labels.client).filter(Boolean));
    expect(operations.size).toBeLessThanOrEqual(201 + 2);
    expect(clients.size).toBeLessThanOrEqual(201 + 1);
  });
});

describe('upstreamMetricsObserver', () => {
  it("turns the upstream client's events into upstream_* series", async () => {
    const metrics = createServiceMetrics('subgraph-test');
    const observer = upstreamMetricsObserver(metrics);
    // One observer per registry: a second client of the same service shares it.
    expect(upstreamMetricsObserver(metrics)).toBe(observer);
    const route = 'GET /orders/:id';
    observer.callCompleted({
      upstream: 'erp',
      route,
      method: 'GET',
      outcome: 'ok',
      status: 200,
      durationMs: 12,
      attempts: 1,
    });
    observer.callCompleted({
      upstream: 'erp',
      route,
      method: 'GET',
      outcome: 'UPSTREAM_UNAVAILABLE',
      status: 503,
      durationMs: 40,
      attempts: 3,
    });
    observer.retried({ upstream: 'erp', route, attempt: 2, delayMs: 100, reason: 'unavailable' });
    observer.retried({ upstream: 'erp', route, attempt: 3, delayMs: 180, reason: 'unavailable' });
    const { registry } = metrics;
    expect(
      await sample(
        registry,
        'upstream_request_duration_seconds',
        { upstream: 'erp', route, outcome: 'ok' },
        'upstream_request_duration_seconds_count',
      ),
    ).toBe(1);
    expect(
      await sample(
        registry,
        'upstream_request_duration_seconds',
        { outcome: 'UPSTREAM_UNAVAILABLE' },
        'upstream_request_duration_seconds_sum',
      ),
    ).toBeCloseTo(0.04);
    expect(
      await sample(registry, 'upstream_retries_total', {
        upstream: 'erp',
        route,
        reason: 'unavailable',
      }),
    ).toBe(2);
    // Closed until the breaker says otherwise.
    expect(await sample(registry, 'upstream_circuit_state', { upstream: 'erp' })).toBe(0);
    observer.circuitChanged({ upstream: 'erp', state: 'open' });
    expect(await sample(registry, 'upstream_circuit_state', { upstream: 'erp' })).toBe(1);
    observer.circuitChanged({ upstream: 'erp', state: 'half-open' });
    expect(await sample(registry, 'upstream_circuit_state', { upstream: 'erp' })).toBe(0.5);
    observer.circuitChanged({ upstream: 'erp', state: 'closed' });
    expect(await sample(registry, 'upstream_circuit_state', { upstream: 'erp' })).toBe(0);
  });
});
