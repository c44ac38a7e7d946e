import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

import type { Logger } from '../logger.js';

export type SpanKindName = 'server' | 'client' | 'internal';

/** One unit of work: a request served, or a call made on its behalf. */
export interface TraceSpan {
  /**
   * This span's W3C `traceparent`, for the calls made within it. With
   * tracing off it is the parent's, passed on unchanged (or undefined), so
   * the trace id still travels from the client to the last upstream.
   */
  readonly traceparent: string | undefined;
  setAttributes(attributes: Attributes): void;
  /** A better name, once known (the route a request matched). */
  rename(name: string): void;
  /** Ends the span; an `error` (a code, not a message with data in it) marks it failed. */
  end(outcome?: { error?: string }): void;
}

export interface Tracing {
  /** Spans are exported (OTEL_EXPORTER_OTLP_ENDPOINT is set). */
  readonly enabled: boolean;
  /** A span whose parent is `parent` (an incoming or enclosing `traceparent`), or a new trace. */
  startSpan(
    name: string,
    options: { kind: SpanKindName; parent?: string | undefined; attributes?: Attributes },
  ): TraceSpan;
  /** Exports what is buffered; resolves within about a second whatever happens. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `service.name` of the spans. */
  service: string;
  /**
   * OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://collector:4318);
   * spans go to `<endpoint>/v1/traces`. Unset: nothing is recorded, and
   * `traceparent` is passed through as it came.
   */
  endpoint?: string | undefined;
  logger: Logger;
}

const propagator = new W3CTraceContextPropagator();
const kinds = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL };
const getter = {
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string) => carrier[key],
};
const setter = {
  set: (carrier: Record<string, string>, key: string, value: string) => {
    carrier[key] = value;
  },
};

/** The context `traceparent` names, as a span's parent; a new trace when absent or malformed. */
function contextOf(traceparent: string | undefined) {
  if (!traceparent) return context.active();
  return propagator.extract(context.active(), { traceparent }, getter);
}

function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(context.active(), span), carrier, setter);
  return carrier.traceparent;
}

/**
 * OpenTelemetry tracing for one service, with the context passed explicitly
 * as `traceparent` strings rather than through a global context manager: an
 * in-process test stack runs several services in one process, each with its
 * own provider and service name, and no registration leaks between them.
 */
export function createTracing(options: TracingOptions): Tracing {
  if (!options.endpoint) return noTracing;
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  const tracer: Tracer = provider.getTracer('erp-crm-inventory-graph');
  options.logger.info({ endpoint: options.endpoint }, 'exporting traces over OTLP/HTTP');
  return {
    enabled: true,
    startSpan(name, { kind, parent, attributes }) {
      const span = tracer.startSpan(
        name,
        { kind: kinds[kind], ...(attributes ? { attributes } : {}) },
        contextOf(parent),
      );
      return {
        traceparent: traceparentOf(span),
        setAttributes: (more) => void span.setAttributes(more),
        rename: (better) => void span.updateName(better),
        end(outcome) {
          if (outcome?.error) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
            span.setAttribute('error.type', outcome.error);
          }
          span.end();
        },
      };
    },
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        provider.shutdown().catch((error: unknown) => {
          options.logger.warn({ err: error }, 'exporting the last spans failed');
        }),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 1_000);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/** version-traceid-parentid-flags, lowercase hex (W3C Trace Context §3.2). */
const traceparentPattern = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Tracing off: no spans, a well-formed `traceparent` passed on unchanged. */
export const noTracing: Tracing = {
  enabled: false,
  startSpan(_name, { parent }) {
    const traceparent = parent && traceparentPattern.test(parent) ? parent : undefined;
    return { traceparent, setAttributes: () => {}, rename: () => {}, end: () => {} };
  },
  shutdown: async () => {},
};
