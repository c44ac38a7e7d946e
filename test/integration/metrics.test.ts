import { createHash } from 'node:crypto';

import { postGraphQL, startBff, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** One sample line of the text format: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key as string] = value as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(baseUrl: string): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(new URL('/metrics', baseUrl));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return { text, samples: parseMetrics(text) };
}

const REQUESTS = 'http_server_request_duration_seconds_count';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('Prometheus /metrics across the stack', () => {
  let stack: Stack;
  let mobile: Awaited<ReturnType<typeof startBff>>;
  let urls: Record<'gateway' | 'subgraph' | 'sandbox' | 'bff', string>;
  const requestId = `metrics-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    stack = await startStack();
    mobile = await startBff('bff-mobile', stack.gatewayUrl);
    urls = {
      gateway: new URL('/', stack.gatewayUrl).href,
      subgraph: new URL('/', stack.subgraphs.erp.url).href,
      sandbox: stack.sandboxes.erp.url,
      bff: mobile.url,
    };
  });
  afterAll(async () => {
    await mobile?.close();
    await stack?.close();
  });

  it("moves every service's series when traffic flows through the whole stack, with bounded labels and no ids", async () => {
    const before = {
      gateway: (await scrape(urls.gateway)).samples,
      subgraph: (await scrape(urls.subgraph)).samples,
      sandbox: (await scrape(urls.sandbox)).samples,
      bff: (await scrape(urls.bff)).samples,
    };
    const client = { 'apollographql-client-name': 'metrics-test', 'x-request-id': requestId };

    // A named operation over two subgraphs and their upstreams.
    const orders = await postGraphQL(
      stack.gatewayUrl,
      { query: 'query MetricsOrders { orders(first: 2) { nodes { id customer { name } } } }' },
      { ...stack.fullAccess, ...client },
    );
    expect(orders.body.errors).toBeUndefined();
    // APQ: a miss, the registration, then a hit.
    const query = `query MetricsApq { warehouses { id } } # ${requestId}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    await postGraphQL(stack.gatewayUrl, { extensions }, { ...stack.fullAccess, ...client });
    await postGraphQL(stack.gatewayUrl, { query, extensions }, { ...stack.fullAccess, ...client });
    const hit = await postGraphQL(stack.gatewayUrl, { extensions }, stack.fullAccess);
    expect(hit.body.errors).toBeUndefined();
    // Refusals: credentials that do not verify, and text that does not parse.
    const refused = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ warehouses { id } }' },
      { authorization: 'Bearer not-a-token', ...client },
    );
    expect(refused.status).toBe(401);
    await postGraphQL(
      stack.gatewayUrl,
      { query: '{ warehouses {' },
      { ...stack.fullAccess, ...client },
    );
    // Through the mobile BFF (its registered operations, by id) twice, and a sandbox route directly.
    for (const sku of ['SKU-10001', 'SKU-10002']) {
      const card = await fetch(`${mobile.url}/m/v1/products/${sku}`, {
        headers: { 'x-request-id': requestId },
      });
      expect(card.status).toBe(200);
      await card.text();
    }
    // Probes are not counted.
    for (const url of Object.values(urls)) await (await fetch(new URL('/health', url))).text();

    await vi.waitFor(async () => {
      const gateway = await scrape(urls.gateway);
      const g = gateway.samples;
      expect(
        total(g, REQUESTS, {
          route: '/graphql',
          operation: 'MetricsOrders',
          client: 'metrics-test',
          status_code: '200',
          service: 'gateway',
        }),
      ).toBe(1);
      expect(
        total(g, REQUESTS, { route: '/graphql', operation: 'unknown', status_code: '401' }),
      ).toBeGreaterThan(
        total(before.gateway, REQUESTS, {
          route: '/graphql',
          operation: 'unknown',
          status_code: '401',
        }),
      );
      // The BFF names itself: its requests are the mobile client's.
      expect(
        total(g, REQUESTS, { route: '/graphql', client: 'bff-mobile', operation: 'ProductCard' }),
      ).toBeGreaterThanOrEqual(2);
      expect(
        total(g, 'gateway_subgraph_fetch_duration_seconds_count', {
          subgraph: 'erp',
          outcome: 'ok',
        }),
      ).toBeGreaterThan(
        total(before.gateway, 'gateway_subgraph_fetch_duration_seconds_count', {
          subgraph: 'erp',
          outcome: 'ok',
        }),
      );
      expect(
        total(g, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'crm' }),
      ).toBeGreaterThan(0);
      expect(
        total(g, 'gateway_operation_rejected_total', { code: 'UNAUTHENTICATED' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        total(g, 'gateway_operation_rejected_total', { code: 'GRAPHQL_PARSE_FAILED' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        total(g, 'gateway_cache_requests_total', { cache: 'apq', result: 'miss' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        total(g, 'gateway_cache_requests_total', { cache: 'apq', result: 'hit' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        total(g, 'gateway_cache_requests_total', { cache: 'trusted_documents' }),
      ).toBeGreaterThanOrEqual(2);
      expect(
        g.some(
          (s) => s.name === 'process_cpu_user_seconds_total' && s.labels.service === 'gateway',
        ),
      ).toBe(true);
      // The guard series stayed on the gateway's page.
      expect(gateway.text).toContain('# TYPE gateway_rate_limited_total counter');

      const subgraph = (await scrape(urls.subgraph)).samples;
      // The gateway's fetch names (MetricsOrders__erp__0) count as the client's operation.
      expect(total(subgraph, REQUESTS, { operation: 'MetricsOrders' })).toBeGreaterThanOrEqual(1);
      expect(subgraph.some((s) => s.labels.operation?.includes('__erp__'))).toBe(false);
      expect(
        total(subgraph, REQUESTS, {
          route: '/graphql',
          service: 'subgraph-erp',
          status_code: '200',
        }),
      ).toBeGreaterThan(
        total(before.subgraph, REQUESTS, { route: '/graphql', status_code: '200' }),
      );
      // The subgraph's calls to its upstream, by route pattern and outcome, and its circuit.
      expect(
        total(subgraph, 'upstream_request_duration_seconds_count', {
          upstream: 'erp',
          outcome: 'ok',
        }),
      ).toBeGreaterThan(
        total(before.subgraph, 'upstream_request_duration_seconds_count', { outcome: 'ok' }),
      );
      const upstreamRoutes = subgraph
        .filter((s) => s.name === 'upstream_request_duration_seconds_count')
        .map((s) => s.labels.route);
      // Route patterns the client names ('GET /orders'), never a URL with ids in it.
      expect(upstreamRoutes.length).toBeGreaterThan(0);
      expect(upstreamRoutes.every((r) => /^(GET|POST) (\/[\w/:-]*|health)$/.test(r ?? ''))).toBe(
        true,
      );
      expect(
        subgraph.find((s) => s.name === 'upstream_circuit_state' && s.labels.upstream === 'erp')
          ?.value,
      ).toBe(0);

      const sandbox = (await scrape(urls.sandbox)).samples;
      expect(total(sandbox, REQUESTS, { service: 'sandbox-erp' })).toBeGreaterThan(
        total(before.sandbox, REQUESTS),
      );
      // Routes are patterns: a sandbox's GETs by id read as the route with its parameter.
      const sandboxRoutes = new Set(
        sandbox.filter((s) => s.name === REQUESTS).map((s) => s.labels.route),
      );
      expect([...sandboxRoutes].every((r) => r === 'unmatched' || r?.startsWith('/'))).toBe(true);

      const bff = (await scrape(urls.bff)).samples;
      expect(
        total(bff, REQUESTS, {
          route: '/m/v1/products/:sku',
          method: 'GET',
          status_code: '200',
          service: 'bff-mobile',
        }),
      ).toBe(total(before.bff, REQUESTS, { route: '/m/v1/products/:sku', status_code: '200' }) + 2);
    });

    for (const url of Object.values(urls)) {
      const { text, samples } = await scrape(url);
      // Ids never become labels: not the request id, not a SKU, not a path with one.
      expect(text).not.toContain(requestId);
      expect(text).not.toContain('SKU-1000');
      expect(samples.filter((s) => s.name === REQUESTS).map((s) => s.labels.route)).not.toContain(
        '/health',
      );
      // One registry per service, even with nine services in this process.
      const services = new Set(samples.map((s) => s.labels.service));
      expect(services.size).toBe(1);
    }
  });
});
