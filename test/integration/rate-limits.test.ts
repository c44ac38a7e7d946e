import { postGraphQL, roomyRateLimits, startStack, writeConsumerPolicyFile } from '@bff/testing';
import type { GraphQLResult, Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Rate limits per consumer through the real gateway (in-memory buckets; the
// Redis-backed ones are in shared-state-redis.test.ts): the headers on every
// response, the 429 with Retry-After, and cost weighting.

const QUERY = '{ warehouses { id } }';

describe('rate limits', () => {
  // One request a second, bursts of three: a test can empty a bucket and
  // the refill cannot blur the counts.
  const policyFile = writeConsumerPolicyFile({
    ...roomyRateLimits,
    authenticated: { rateLimit: { requestsPerMinute: 6, burst: 3 } },
    anonymous: { rateLimit: { requestsPerMinute: 6, burst: 3 } },
  });
  const weightedPolicyFile = writeConsumerPolicyFile({
    ...roomyRateLimits,
    authenticated: { rateLimit: { requestsPerMinute: 6, burst: 10 } },
  });
  let stack: Stack;
  let weighted: { url: string };
  beforeAll(async () => {
    stack = await startStack({ gatewayEnv: { CONSUMER_POLICY_FILE: policyFile.path } });
    weighted = await stack.startGateway({
      RATE_LIMIT_COST_WEIGHTED: 'true',
      RATE_LIMIT_COST_PER_TOKEN: '10',
      CONSUMER_POLICY_FILE: weightedPolicyFile.path,
    });
  });
  afterAll(async () => {
    await stack?.close();
    policyFile.dispose();
    weightedPolicyFile.dispose();
  });

  const user = (sub: string) => stack.credentials.bearer({ sub });
  const headersOf = (result: GraphQLResult) =>
    Object.fromEntries(
      ['ratelimit-limit', 'ratelimit-remaining', 'x-ratelimit-limit', 'x-ratelimit-remaining'].map(
        (h) => [h, result.headers.get(h)],
      ),
    );

  it('every response says where the caller stands; an empty bucket is a 429 with Retry-After and RATE_LIMITED', async () => {
    const headers = await user('erin');
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await postGraphQL(stack.gatewayUrl, { query: QUERY }, headers);
      expect(result.status).toBe(200);
      expect(headersOf(result)).toMatchObject({ 'ratelimit-limit': '3', 'x-ratelimit-limit': '3' });
      expect(result.headers.get('x-ratelimit-remaining')).toBe(
        result.headers.get('ratelimit-remaining'),
      );
      expect(Number(result.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      remaining.push(result.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    await stack.resetCounters();
    const refused = await postGraphQL(stack.gatewayUrl, { query: QUERY }, headers);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringContaining('Rate limit reached for authenticated caller "erin"'),
        extensions: {
          code: 'RATE_LIMITED',
          retryAfterSeconds: retryAfter,
          requestId: refused.headers.get('x-request-id'),
        },
      },
    ]);
    // Refused before execution: nothing behind the gateway was asked.
    expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
  });

  it('buckets are per consumer', async () => {
    const frank = await user('frank');
    const result = await postGraphQL(stack.gatewayUrl, { query: QUERY }, frank);
    expect(result.status).toBe(200);
    expect(result.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('anonymous callers behind a trusted proxy (a BFF on loopback) each have their own bucket; with TRUSTED_PROXIES=none the forwarded address is ignored', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const remainingOf = async (url: string, address: string) =>
      (await postGraphQL(url, { query: QUERY }, from(address))).headers.get('ratelimit-remaining');
    expect(await remainingOf(stack.gatewayUrl, '203.0.113.7')).toBe('2');
    expect(await remainingOf(stack.gatewayUrl, '203.0.113.7')).toBe('1');
    expect(await remainingOf(stack.gatewayUrl, '203.0.113.8')).toBe('2');

    const trustingNoOne = await stack.startGateway({
      CONSUMER_POLICY_FILE: policyFile.path,
      TRUSTED_PROXIES: 'none',
    });
    expect(await remainingOf(trustingNoOne.url, '198.51.100.1')).toBe('2');
    expect(await remainingOf(trustingNoOne.url, '198.51.100.2')).toBe('1');
  });

  it('an operation another guard refuses is still charged, and still says so', async () => {
    const headers = await user('gina');
    const broken = await postGraphQL(stack.gatewayUrl, { query: '{ warehouses { id ' }, headers);
    expect(broken.status).toBe(400);
    expect(broken.headers.get('ratelimit-remaining')).toBe('2');
    const unknownField = await postGraphQL(stack.gatewayUrl, { query: '{ nope }' }, headers);
    expect(unknownField.headers.get('ratelimit-remaining')).toBe('1');
  });

  it('cost-weighted: an operation is charged ceil(cost / RATE_LIMIT_COST_PER_TOKEN) tokens', async () => {
    const headers = await user('hank');
    // ProductConnection (1) + 30 Products: cost 31, four tokens of 10.
    const result = await postGraphQL(
      weighted.url,
      { query: '{ products(first: 30) { nodes { sku } } }' },
      headers,
    );
    expect(result.status).toBe(200);
    expect(result.headers.get('ratelimit-limit')).toBe('10');
    expect(result.headers.get('ratelimit-remaining')).toBe('6');
    // A cheap one still costs one.
    const cheap = await postGraphQL(
      weighted.url,
      { query: '{ product(sku: "X") { sku } }' },
      headers,
    );
    expect(cheap.headers.get('ratelimit-remaining')).toBe('5');
  });
});
