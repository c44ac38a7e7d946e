import autocannon from 'autocannon';

export interface LoadResult {
  /** Requests answered 2xx. */
  ok: number;
  /** Every request completed (2xx and not). */
  total: number;
  /** Every request sent, including those still in flight when the run ended. */
  sent: number;
  non2xx: number;
  errors: number;
  /** Answers whose body differed from `expectBody` (a GraphQL error is a 200 too). */
  mismatches: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Fixed-concurrency load with autocannon: POST one GraphQL operation for a duration or a count. */
export async function runLoad(options: {
  url: string;
  body: string;
  /** Sent with every request (the bearer token). */
  headers: Record<string, string>;
  connections: number;
  durationSeconds?: number;
  amount?: number;
  /** The exact body every answer must have; others count as mismatches. */
  expectBody?: string;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    pipelining: 1,
    ...(options.expectBody !== undefined ? { expectBody: options.expectBody } : {}),
    ...(options.amount !== undefined
      ? { amount: options.amount }
      : { duration: options.durationSeconds ?? 1 }),
  });
  const ok = result['2xx'];
  const seconds = options.amount !== undefined ? result.duration : (options.durationSeconds ?? 1);
  return {
    ok,
    total: result.requests.total,
    // autocannon reports it but its types do not declare it.
    sent: (result.requests as { sent?: number }).sent ?? result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    mismatches: result.mismatches,
    requestsPerSecond: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
