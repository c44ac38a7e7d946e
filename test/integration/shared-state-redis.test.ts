import { createHash, randomUUID } from 'node:crypto';

import {
  deleteRedisKeys,
  getAvailablePort,
  postGraphQL,
  roomyRateLimits,
  spawnNode,
  startRedisServer,
  startStack,
  waitForOk,
  writeConsumerPolicyFile,
} from '@bff/testing';
import type { RedisServerProcess, Spawned, Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Gateway replicas share one Redis: what one learns (a published operation,
// an APQ registration, a rate-limit charge) holds for the other. Two gateway
// processes per scenario, over the same in-process subgraphs: one pair on the
// machine's Redis (REDIS_URL, as CI sets it, under a key prefix of this run's
// own, removed afterwards), one pair on a redis-server of this test's own,
// which it stops and starts again under them.

const sharedRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const QUERY = '{ warehouses { id } }';

describe('shared state in Redis across gateway replicas', () => {
  const prefix = `test:${randomUUID()}:`;
  // One consumer may spend 100 requests at once; the refill (one a minute)
  // cannot add a whole token while the test runs.
  const policyFile = writeConsumerPolicyFile({
    ...roomyRateLimits,
    authenticated: { rateLimit: { requestsPerMinute: 1, burst: 100 } },
  });
  let stack: Stack;
  let privateRedis: RedisServerProcess;
  const processes: Spawned[] = [];
  const urls: Record<'sharedA' | 'sharedB' | 'outageA' | 'outageB', string> = {} as never;

  async function startGatewayProcess(
    redisUrl: string,
    env: Record<string, string> = {},
  ): Promise<{ url: string; spawned: Spawned }> {
    const port = await getAvailablePort();
    const spawned = spawnNode(['--conditions=source', '--import', 'tsx', 'gateway/src/main.ts'], {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      SUBGRAPH_ERP_URL: stack.subgraphs.erp.url,
      SUBGRAPH_CRM_URL: stack.subgraphs.crm.url,
      SUBGRAPH_INVENTORY_URL: stack.subgraphs.inventory.url,
      ...stack.credentials.gatewayEnv(),
      CONSUMER_POLICY_FILE: policyFile.path,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      ...env,
    });
    processes.push(spawned);
    await waitForOk(`http://127.0.0.1:${port}/ready`, 60_000);
    return { url: `http://127.0.0.1:${port}/graphql`, spawned };
  }

  beforeAll(async () => {
    stack = await startStack();
    privateRedis = await startRedisServer(await getAvailablePort());
    // The sharing pair is about counting, not deadlines: on a machine busy
    // with the rest of the suite a take can pass 100 ms, and would then fail
    // open (as designed, and tested below) and blur the count.
    const patient = { REDIS_TIMEOUT_MS: '5000' };
    const [a, b, c, d] = await Promise.all([
      startGatewayProcess(sharedRedisUrl, patient),
      startGatewayProcess(sharedRedisUrl, patient),
      startGatewayProcess(privateRedis.url),
      startGatewayProcess(privateRedis.url),
    ]);
    Object.assign(urls, { sharedA: a.url, sharedB: b.url, outageA: c.url, outageB: d.url });
  }, 120_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await privateRedis?.stop();
    await stack?.close();
    policyFile.dispose();
    // Leave the machine's Redis as we found it.
    await deleteRedisKeys(sharedRedisUrl, prefix);
  });

  it('an operation published through one replica is served by the other', async () => {
    const body = `query SharedCatalogue { products(first: 2) { nodes { sku } } }`;
    const token = await stack.credentials.bearer({
      sub: 'release-bot',
      class: 'internal',
      scopes: ['pq:publish'],
    });
    const published = await fetch(new URL('/admin/persisted-operations/shared-web', urls.sharedA), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...token },
      body: JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(body), name: 'SharedCatalogue', type: 'query', body }],
      }),
    });
    expect(published.status).toBe(200);
    const result = await postGraphQL(
      urls.sharedB,
      { documentId: `sha256:${sha256(body)}` },
      { 'apollographql-client-name': 'shared-web' },
    );
    expect(result.status).toBe(200);
    expect(result.body.data).toMatchObject({ products: { nodes: expect.any(Array) } });
  });

  it('an APQ registered with one replica is a hit on the other', async () => {
    const query = `{ warehouses { id name } } # ${randomUUID()}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    expect((await postGraphQL(urls.sharedA, { query, extensions })).body.errors).toBeUndefined();
    const hit = await postGraphQL(urls.sharedB, { extensions });
    expect(hit.body.errors).toBeUndefined();
    expect(hit.body.data).toMatchObject({ warehouses: expect.any(Array) });
  });

  it('200 concurrent requests from one consumer against a limit of 100 across both replicas: exactly 100 succeed', async () => {
    const headers = await stack.credentials.bearer({ sub: `burst-${randomUUID()}` });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postGraphQL(i % 2 === 0 ? urls.sharedA : urls.sharedB, { query: QUERY }, headers),
      ),
    );
    // Every one was metered (none failed open), so the count is the limiter's.
    expect(results.filter((r) => r.headers.get('ratelimit-remaining') === null)).toHaveLength(0);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100);
  });

  it('Redis stopped under both replicas: no request hangs, neither crashes, rate limiting fails open; both recover when it returns', async () => {
    const headers = await stack.credentials.bearer({ sub: `outage-${randomUUID()}` });
    const before = await postGraphQL(urls.outageA, { query: QUERY }, headers);
    expect(before.headers.get('ratelimit-remaining')).toBe('99');

    await privateRedis.stop();
    for (const url of [urls.outageA, urls.outageB]) {
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        const result = await postGraphQL(url, { query: QUERY }, headers);
        // A Redis call gives up in ~100 ms; the whole request stays far from a hang.
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(result.status).toBe(200);
        expect(result.body.errors).toBeUndefined();
        // Served unmetered: no figures to report.
        expect(result.headers.get('ratelimit-remaining')).toBeNull();
      }
      const apqMiss = await postGraphQL(url, {
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(`miss ${randomUUID()}`) } },
      });
      expect(apqMiss.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const ready = await fetch(new URL('/ready', url));
      expect(ready.status).toBe(503);
    }
    const metrics = await (await fetch(new URL('/metrics', urls.outageA))).text();
    expect(metrics).toMatch(/gateway_rate_limit_fail_open_total\{service="gateway"\} [1-9]/);

    await privateRedis.start();
    for (const url of [urls.outageA, urls.outageB]) {
      await expect
        .poll(
          async () =>
            (await postGraphQL(url, { query: QUERY }, headers)).headers.get('ratelimit-remaining'),
          {
            timeout: 15_000,
            interval: 200,
          },
        )
        .not.toBeNull();
      expect((await fetch(new URL('/ready', url))).status).toBe(200);
    }
    for (const p of processes) expect(p.child.exitCode).toBeNull();
  });
});
