import { performance } from 'node:perf_hooks';

export interface LoggedCall {
  route: string;
  requestId: string;
  /** The W3C trace context the caller sent, if any: a trace reaches the upstream. */
  traceparent: string | undefined;
  /** Wall-clock milliseconds, sub-millisecond precision (comparable across processes). */
  startedAt: number;
  endedAt: number | undefined;
}

/**
 * The last calls a sandbox served, with their timings and request ids, so a
 * benchmark can rebuild which upstream calls one GraphQL request made and
 * which waited for which (its critical path). Bounded: the oldest entries go.
 */
export class CallLog {
  private readonly entries: LoggedCall[] = [];

  constructor(private readonly capacity = 10_000) {}

  /** Records a call's start; call the returned function when it ends. */
  start(route: string, requestId: string, traceparent?: string): () => void {
    const call: LoggedCall = {
      route,
      requestId,
      traceparent,
      startedAt: now(),
      endedAt: undefined,
    };
    this.entries.push(call);
    if (this.entries.length > this.capacity)
      this.entries.splice(0, this.entries.length - this.capacity);
    return () => {
      call.endedAt ??= now();
    };
  }

  /** The recorded calls of one request, oldest first. */
  of(requestId: string): LoggedCall[] {
    return this.entries.filter((call) => call.requestId === requestId);
  }
}

function now(): number {
  return performance.timeOrigin + performance.now();
}
