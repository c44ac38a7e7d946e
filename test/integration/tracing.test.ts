import type { RunningHttpServer } from '@bff/core';
import { startBff, startOtlpCollector, startStack } from '@bff/testing';
import type { CollectedSpan, OtlpCollector, Stack } from '@bff/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One request from the mobile app, traced through every service: with
// OTEL_EXPORTER_OTLP_ENDPOINT set, each exports its spans, all in the app's
// trace, each the child of the span that called it; and the upstream gets
// the trace context of the call made to it.

const traceId = '5b8efff798038103d269b633813fc60c';
const appSpan = 'eee19b7ec3c1b174';

async function spansOf(collector: OtlpCollector, count: number): Promise<CollectedSpan[]> {
  // Exported in batches every 500 ms: wait for them rather than for a fixed time.
  for (let waited = 0; waited < 10_000; waited += 100) {
    const found = collector.spans.filter((s) => s.traceId === traceId);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return collector.spans.filter((s) => s.traceId === traceId);
}

describe('tracing through the whole stack', () => {
  let collector: OtlpCollector;
  let stack: Stack;
  let bff: RunningHttpServer;
  beforeAll(async () => {
    collector = await startOtlpCollector();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
    stack = await startStack({ gatewayEnv: otel, subgraphEnv: otel });
    bff = await startBff('bff-mobile', stack.gatewayUrl, otel);
  });
  afterAll(async () => {
    await bff?.close();
    await stack?.close();
    await collector?.close();
  });

  it("puts the app's request, the BFF, the gateway, the subgraph and its upstream call in one trace, each under its caller", async () => {
    const requestId = `trace-${Math.random().toString(36).slice(2)}`;
    const response = await request(`${bff.url}/m/v1/products/SKU-10001`, {
      headers: { traceparent: `00-${traceId}-${appSpan}-01`, 'x-request-id': requestId },
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();

    const spans = await spansOf(collector, 6);
    const one = (service: string, kind: number, name: RegExp) => {
      const found = spans.filter(
        (s) => s.service === service && s.kind === kind && name.test(s.name),
      );
      expect(
        found,
        `${service} ${name}: ${JSON.stringify(spans.map((s) => [s.service, s.name]))}`,
      ).toHaveLength(1);
      return found[0]!;
    };
    const bffServer = one('bff-mobile', 2, /^GET \/m\/v1\/products\/:sku$/);
    const bffClient = one('bff-mobile', 3, /^gateway ProductCard$/);
    const gatewayServer = one('gateway', 2, /^POST \/graphql$/);
    const gatewayClient = one('gateway', 3, /^subgraph erp$/);
    const subgraphServer = one('subgraph-erp', 2, /^POST \/graphql$/);
    const upstreamCall = one('subgraph-erp', 3, /^POST \/products\/batch-get$/);

    expect(bffServer.parentSpanId).toBe(appSpan);
    expect(bffClient.parentSpanId).toBe(bffServer.spanId);
    expect(gatewayServer.parentSpanId).toBe(bffClient.spanId);
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    expect(subgraphServer.parentSpanId).toBe(gatewayClient.spanId);
    expect(upstreamCall.parentSpanId).toBe(subgraphServer.spanId);
    expect(upstreamCall.attributes).toMatchObject({
      'upstream.name': 'erp',
      'http.response.status_code': 200,
    });
    expect(bffServer.attributes).toMatchObject({ 'http.route': '/m/v1/products/:sku' });

    // The ERP sandbox got the context of the call made to it.
    const calls = await stack.sandboxes.erp.admin.calls(requestId);
    expect(calls.map((c) => c.traceparent)).toContain(`00-${traceId}-${upstreamCall.spanId}-01`);
  });
});
