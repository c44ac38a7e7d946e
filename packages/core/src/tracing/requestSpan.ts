import type { IncomingMessage, ServerResponse } from 'node:http';

import { pathOf } from '../http/requestLogging.js';
import { noTracing } from './Tracing.js';
import type { Tracing } from './Tracing.js';

declare module 'node:http' {
  interface IncomingMessage {
    /**
     * The `traceparent` of the span serving this request, for the calls made
     * on its behalf (the caller's own, passed on, when tracing is off).
     */
    traceparent?: string;
  }
}

/** Probed every few seconds: a span each would bury the traces worth reading. */
const probePaths = new Set(['/health', '/ready', '/metrics']);
const begun = new WeakSet<IncomingMessage>();

/**
 * A server span for the request, child of the caller's `traceparent`, ended
 * when the response is done (named by the route matched, failed on a 5xx or
 * a client gone). Sets `req.traceparent` for the calls made within it.
 * Calling it again for the same request does nothing, so a node-level
 * wrapper and express middleware can both be in place.
 */
export function beginRequestSpan(
  req: IncomingMessage,
  res: ServerResponse,
  tracing: Tracing,
): void {
  const header = req.headers.traceparent;
  const parent = typeof header === 'string' ? header : undefined;
  if (!tracing.enabled) {
    // Nothing to record (the common case): pass a well-formed context on,
    // without the bookkeeping of a span. Repeating this is harmless.
    if (parent !== undefined) {
      const passed = noTracing.startSpan('', { kind: 'server', parent }).traceparent;
      if (passed !== undefined) req.traceparent = passed;
    }
    return;
  }
  if (begun.has(req)) return;
  begun.add(req);
  const path = pathOf(req.url);
  const tracer = probePaths.has(path) ? noTracing : tracing;
  const span = tracer.startSpan(`${req.method ?? 'GET'} ${path}`, {
    kind: 'server',
    parent,
    attributes: { 'http.request.method': req.method ?? 'GET', 'url.path': path },
  });
  if (span.traceparent !== undefined) req.traceparent = span.traceparent;
  if (!tracer.enabled) return;
  res.once('close', () => {
    const route = (req as { route?: { path?: unknown } }).route?.path;
    if (typeof route === 'string') {
      span.rename(`${req.method ?? 'GET'} ${route}`);
      span.setAttributes({ 'http.route': route });
    }
    span.setAttributes({ 'http.response.status_code': res.statusCode });
    const failed = !res.writableFinished
      ? 'aborted'
      : res.statusCode >= 500
        ? String(res.statusCode)
        : undefined;
    span.end(failed ? { error: failed } : undefined);
  });
}
