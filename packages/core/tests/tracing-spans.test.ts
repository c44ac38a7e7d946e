import { createTracing } from '../src/tracing/Tracing.js';
import { startOtlpCollector } from '@bff/testing';
import type { OtlpCollector } from '@bff/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

const silent = pino({ level: 'silent' });
const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracing', () => {
  let collector: OtlpCollector | undefined;
  afterEach(async () => {
    await collector?.close();
  });

  it("exports a server span under the caller's traceparent and a client span under it, over OTLP/HTTP", async () => {
    collector = await startOtlpCollector();
    const tracing = createTracing({ service: 'svc-a', endpoint: collector.url, logger: silent });
    const server = tracing.startSpan('POST /graphql', { kind: 'server', parent: incoming });
    const client = tracing.startSpan('GET /orders', {
      kind: 'client',
      parent: server.traceparent,
      attributes: { 'upstream.name': 'erp' },
    });
    expect(server.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[\da-f]{16}-01$/);
    expect(client.traceparent?.split('-')[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    client.end({ error: 'UPSTREAM_TIMEOUT' });
    server.end();
    await tracing.shutdown();

    const spans = collector.spans;
    expect(spans.map((s) => s.name).sort()).toEqual(['GET /orders', 'POST /graphql']);
    const serverSpan = spans.find((s) => s.name === 'POST /graphql')!;
    const clientSpan = spans.find((s) => s.name === 'GET /orders')!;
    expect(serverSpan).toMatchObject({
      service: 'svc-a',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
      kind: 2,
    });
    expect(clientSpan).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: serverSpan.spanId,
      kind: 3,
      attributes: { 'upstream.name': 'erp', 'error.type': 'UPSTREAM_TIMEOUT' },
      status: { code: 2 },
    });
    expect(server.traceparent).toBe(`00-${serverSpan.traceId}-${serverSpan.spanId}-01`);
  });

  it('starts a new trace when the caller sent none, or a malformed one', async () => {
    collector = await startOtlpCollector();
    const tracing = createTracing({ service: 'svc-b', endpoint: collector.url, logger: silent });
    for (const parent of [undefined, 'not-a-traceparent']) {
      const span = tracing.startSpan('GET /health', { kind: 'server', parent });
      expect(span.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
      span.end();
    }
    await tracing.shutdown();
    expect(collector.spans).toHaveLength(2);
    expect(collector.spans.every((s) => s.parentSpanId === undefined)).toBe(true);
  });

  it('with no endpoint records nothing and passes a well-formed traceparent on unchanged', () => {
    const tracing = createTracing({ service: 'svc-c', logger: silent });
    expect(tracing.enabled).toBe(false);
    expect(tracing.startSpan('x', { kind: 'server', parent: incoming }).traceparent).toBe(incoming);
    expect(
      tracing.startSpan('x', { kind: 'server', parent: 'garbage' }).traceparent,
    ).toBeUndefined();
    expect(tracing.startSpan('x', { kind: 'server' }).traceparent).toBeUndefined();
  });
});
