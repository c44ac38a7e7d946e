import type { Dispatcher } from 'undici';

/** Readiness: the subgraph answers a trivial GraphQL query (works for any GraphQL server). */
export async function probeSubgraph(dispatcher: Dispatcher, url: string): Promise<void> {
  const target = new URL(url);
  const response = await dispatcher.request({
    origin: target.origin,
    path: target.pathname + target.search,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'readiness-probe' },
    body: '{"query":"{ __typename }"}',
    signal: AbortSignal.timeout(1_500),
  });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`answered HTTP ${response.statusCode}`);
}
