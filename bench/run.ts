// `npm run bench`: our gateway side by side with stock Apollo Gateway and Hive
// Gateway, in one run on this machine. See docs/BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { isDeepStrictEqual } from 'node:util';

import { repoRoot } from '@bff/testing';

import { gateways as allGateways } from './gateways.js';
import { criticalPath } from './lib/criticalPath.js';
import { describeMachine } from './lib/machine.js';
import { cpuMillis, memoryMiB } from './lib/procStats.js';
import { renderReport, rewriteBenchmarksDoc, summarise } from './lib/report.js';
import type { FloorResult, RunRecord } from './lib/report.js';
import { runLoad } from './lib/runLoad.js';
import { startBenchStack } from './lib/benchStack.js';
import type { BenchStack, RunningGateway } from './lib/benchStack.js';
import { benchOperations } from './operations.js';
import type { BenchOperation } from './operations.js';
import { readSettings } from './settings.js';

const settings = readSettings(process.argv.slice(2), process.env);
const unknown = settings.only.filter((id) => !allGateways.some((g) => g.id === id));
if (unknown.length > 0)
  throw new Error(
    `--only: no gateway ${unknown.join(', ')}; the gateways are ${allGateways.map((g) => g.id).join(', ')}`,
  );
const specs = settings.only.length
  ? allGateways.filter((g) => settings.only.includes(g.id))
  : allGateways;
if (!specs.some((g) => g.id === 'ours'))
  throw new Error('the "ours" gateway is the reference: keep it in --only');
const log = (message: string) => process.stderr.write(`${message}\n`);

log('building dist/ (ours runs as deployed)...');
execFileSync(
  process.execPath,
  [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
  {
    cwd: repoRoot,
    stdio: 'inherit',
  },
);
log(
  `starting ${specs.length} gateways, 3 subgraphs and the sandboxes (latency ${settings.latencyMs} ms)...`,
);
const stack = await startBenchStack(specs, settings.latencyMs, settings.redisUrl);
try {
  const ours = stack.gateways.find((g) => g.spec.id === 'ours') as RunningGateway;
  const operations = benchOperations(await pickFixtures(ours.url, stack.clientHeaders));

  log('checking that every gateway returns the same data...');
  const verifiedAnswers = await checkSameData(stack, operations);

  log('measuring the critical-path floor...');
  const floors: FloorResult[] = [];
  for (const operation of operations) floors.push(await measureFloor(stack, ours, operation));

  const runs: RunRecord[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const operation of operations) {
      for (const gateway of stack.gateways) {
        log(`round ${round}/${settings.rounds}: ${operation.id} on ${gateway.spec.id}`);
        const expectBody = verifiedAnswers.get(`${gateway.spec.id}\u0000${operation.id}`) as string;
        runs.push(await timedRun(stack, gateway, operation, round, expectBody));
      }
    }
  }

  log('measuring latency at concurrency 1...');
  for (const floor of floors) {
    const operation = operations.find((o) => o.id === floor.operation) as BenchOperation;
    for (const gateway of stack.gateways) {
      const load = await runLoad({
        url: gateway.url,
        body: bodyOf(operation),
        headers: stack.clientHeaders,
        connections: 1,
        amount: settings.floorRequests,
      });
      floor.p50AtConcurrency1Ms[gateway.spec.id] = load.p50Ms;
    }
  }

  const peakRssMiB = Object.fromEntries(
    stack.gateways.map((g) => [g.spec.id, memoryMiB(g.pid).peak]),
  );
  const result = {
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    settings,
    gateways: stack.gateways.map((g) => ({ id: g.spec.id, label: g.spec.label })),
    operations: operations.map(({ id, title, query, variables }) => ({
      id,
      title,
      query,
      variables,
    })),
    floors,
    peakRssMiB,
    runs,
    summary: summarise(runs, peakRssMiB),
  };
  process.stdout.write(`${renderReport(result)}\n`);

  mkdirSync(settings.outDir, { recursive: true });
  const file = join(settings.outDir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`results written to ${file}`);
  if (settings.writeDocs) {
    await rewriteBenchmarksDoc(join(repoRoot, 'docs/BENCHMARKS.md'), result, file);
    log('docs/BENCHMARKS.md updated');
  }
} finally {
  await stack.stop();
}

function bodyOf(operation: BenchOperation): string {
  return JSON.stringify({ query: operation.query, variables: operation.variables });
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

/** A SKU and an order id from the seeded data: an order with lines and shipments. */
async function pickFixtures(
  url: string,
  headers: Record<string, string>,
): Promise<{ sku: string; orderId: string }> {
  const answer = await post(
    url,
    JSON.stringify({
      query: '{ orders(first: 1, status: SHIPPED) { nodes { id lines { product { sku } } } } }',
    }),
    headers,
  );
  const order = (
    answer.data as { orders: { nodes: { id: string; lines: { product: { sku: string } }[] }[] } }
  ).orders.nodes[0];
  if (!order) throw new Error(`no shipped order in the seeded data: ${JSON.stringify(answer)}`);
  return { orderId: order.id, sku: order.lines[0]?.product.sku ?? 'SKU-10001' };
}

/**
 * No gateway may win by being wrong: every one must return our exact data,
 * without errors. Returns each gateway's verified answer, byte for byte, so
 * that every answer under load is held to it too (GraphQL errors are 200s).
 */
async function checkSameData(
  stack: BenchStack,
  operations: BenchOperation[],
): Promise<Map<string, string>> {
  const verified = new Map<string, string>();
  for (const operation of operations) {
    const texts = await Promise.all(
      stack.gateways.map(async (g) => {
        const response = await fetch(g.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...stack.clientHeaders },
          body: bodyOf(operation),
        });
        return response.text();
      }),
    );
    const answers = texts.map((text) => JSON.parse(text) as { data?: unknown; errors?: unknown[] });
    const reference = answers[0];
    if (!reference?.data || reference.errors) {
      throw new Error(`${operation.id}: ours answered ${JSON.stringify(reference).slice(0, 500)}`);
    }
    answers.forEach((answer, i) => {
      const id = stack.gateways[i]?.spec.id;
      if (answer.errors || !isDeepStrictEqual(answer.data, reference.data)) {
        throw new Error(
          `${operation.id}: ${id} answered differently: ${JSON.stringify(answer).slice(0, 500)}`,
        );
      }
      verified.set(`${id}\u0000${operation.id}`, texts[i] as string);
    });
  }
  return verified;
}

/**
 * The floor of an operation: its upstream calls, read back from the
 * sandboxes by request id, and the longest chain of them that had to run one
 * after another. Each link costs the configured latency at least.
 */
async function measureFloor(
  stack: BenchStack,
  ours: RunningGateway,
  operation: BenchOperation,
): Promise<FloorResult> {
  await post(ours.url, bodyOf(operation), stack.clientHeaders); // tokens and caches warm
  const requestId = `bench-floor-${operation.id}-${Date.now()}`;
  await post(ours.url, bodyOf(operation), { ...stack.clientHeaders, 'x-request-id': requestId });
  const calls = (
    await Promise.all(
      Object.values(stack.sandboxes).map(async (admin) => {
        const response = await fetch(`${admin.baseUrl}/__admin/calls?requestId=${requestId}`);
        return (
          (await response.json()) as {
            calls: { route: string; startedAt: number; endedAt: number }[];
          }
        ).calls;
      }),
    )
  ).flat();
  const chain = criticalPath(calls);
  return {
    operation: operation.id,
    upstreamCalls: calls.length,
    criticalPath: chain.map((c) => c.route),
    floorMs: chain.length * settings.latencyMs,
    p50AtConcurrency1Ms: {},
  };
}

/** The subgraph fetch count once it has stopped moving (two equal reads 100 ms apart). */
async function settledFetches(stack: BenchStack): Promise<number> {
  let last = await stack.subgraphFetches();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100 + settings.latencyMs * 3));
    const now = await stack.subgraphFetches();
    if (now === last) return now;
    last = now;
  }
}

async function timedRun(
  stack: BenchStack,
  gateway: RunningGateway,
  operation: BenchOperation,
  round: number,
  expectBody: string,
): Promise<RunRecord> {
  const body = bodyOf(operation);
  if (settings.warmupSeconds > 0) {
    await runLoad({
      url: gateway.url,
      body,
      headers: stack.clientHeaders,
      connections: settings.connections,
      durationSeconds: settings.warmupSeconds,
    });
  }
  // Requests the load generator abandoned at the end of the warm-up may still
  // be reaching subgraphs and upstreams: let them land before counting.
  const fetchesBefore = await settledFetches(stack);
  await Promise.all(Object.values(stack.sandboxes).map((s) => s.resetCounters()));
  const cpuBefore = cpuMillis(gateway.pid);
  const load = await runLoad({
    url: gateway.url,
    body,
    headers: stack.clientHeaders,
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    expectBody,
  });
  const cpuMs = cpuMillis(gateway.pid) - cpuBefore;
  const fetches = (await settledFetches(stack)) - fetchesBefore;
  const upstreamCalls = await stack.upstreamCalls();
  // Requests in flight when the run ended reached subgraphs too: count them.
  const requests = Math.max(1, load.sent);
  return {
    round,
    gateway: gateway.spec.id,
    operation: operation.id,
    requestsPerSecond: load.requestsPerSecond,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    cpuMsPerRequest: cpuMs / Math.max(1, load.ok),
    rssMiB: memoryMiB(gateway.pid).current,
    subgraphFetchesPerRequest: fetches / requests,
    upstreamCallsPerRequest: upstreamCalls / requests,
    ok: load.ok,
    failed: load.non2xx + load.errors + load.mismatches,
  };
}
