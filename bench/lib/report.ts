import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as prettier from 'prettier';

import type { describeMachine } from './machine.js';

export interface RunRecord {
  round: number;
  gateway: string;
  operation: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  rssMiB: number;
  subgraphFetchesPerRequest: number;
  upstreamCallsPerRequest: number;
  ok: number;
  failed: number;
}

export interface FloorResult {
  operation: string;
  /** Upstream calls one request made. */
  upstreamCalls: number;
  /** The calls that had to run one after another, in order. */
  criticalPath: string[];
  /** Critical-path calls × the configured latency. */
  floorMs: number;
  /** End-to-end p50 at concurrency 1, by gateway. */
  p50AtConcurrency1Ms: Record<string, number>;
}

export interface Summary {
  gateway: string;
  operation: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  peakRssMiB: number;
  subgraphFetchesPerRequest: number;
  upstreamCallsPerRequest: number;
  failed: number;
}

export interface BenchResult {
  startedAt: string;
  machine: ReturnType<typeof describeMachine>;
  settings: {
    latencyMs: number;
    connections: number;
    durationSeconds: number;
    warmupSeconds: number;
    rounds: number;
    floorRequests: number;
    smoke: boolean;
  };
  gateways: { id: string; label: string }[];
  operations: { id: string; title: string }[];
  floors: FloorResult[];
  peakRssMiB: Record<string, number>;
  runs: RunRecord[];
  summary: Summary[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Medians over the rounds, per gateway and operation. */
export function summarise(runs: RunRecord[], peakRssMiB: Record<string, number>): Summary[] {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = `${run.operation}\u0000${run.gateway}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as RunRecord;
    const m = (pick: (r: RunRecord) => number) => median(group.map(pick));
    return {
      gateway: first.gateway,
      operation: first.operation,
      requestsPerSecond: m((r) => r.requestsPerSecond),
      p50Ms: m((r) => r.p50Ms),
      p99Ms: m((r) => r.p99Ms),
      cpuMsPerRequest: m((r) => r.cpuMsPerRequest),
      peakRssMiB: peakRssMiB[first.gateway] ?? 0,
      subgraphFetchesPerRequest: m((r) => r.subgraphFetchesPerRequest),
      upstreamCallsPerRequest: m((r) => r.upstreamCallsPerRequest),
      failed: group.reduce((sum, r) => sum + r.failed, 0),
    };
  });
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

/** The result as Markdown: figures, ratios against the goals, the floor. */
export function renderReport(result: BenchResult): string {
  const { settings, machine } = result;
  const find = (operation: string, gateway: string) =>
    result.summary.find((s) => s.operation === operation && s.gateway === gateway);
  const lines: string[] = [];
  lines.push(
    `Run of ${result.startedAt}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}.`,
    `Versions: ${Object.entries(machine.versions)
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')}.`,
    `Settings: ${settings.latencyMs} ms per upstream call, ${settings.connections} connections, ` +
      `${settings.rounds} interleaved rounds of ${settings.durationSeconds} s (after ${settings.warmupSeconds} s warm-up) ` +
      `per gateway and operation; medians over rounds.${settings.smoke ? ' SMOKE RUN: not a measurement.' : ''}`,
    '',
    '| operation | gateway | req/s | p50 ms | p99 ms | CPU ms/req | peak RSS MiB | subgraph fetches/req | upstream calls/req |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const operation of result.operations) {
    for (const gateway of result.gateways) {
      const s = find(operation.id, gateway.id);
      if (!s) continue;
      lines.push(
        `| ${operation.id} | ${gateway.label} | ${fixed(s.requestsPerSecond, 0)} | ${fixed(s.p50Ms, 1)} | ${fixed(s.p99Ms, 1)} | ` +
          `${fixed(s.cpuMsPerRequest, 2)} | ${fixed(s.peakRssMiB, 0)} | ${fixed(s.subgraphFetchesPerRequest, 2)} | ` +
          `${fixed(s.upstreamCallsPerRequest, 2)} |${s.failed ? ` ⚠ ${s.failed} failed` : ''}`,
      );
    }
  }

  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? undefined : a / b;
  lines.push(
    '',
    '| operation | CPU/req: ours ÷ stock Apollo (goal ≤ 0.60) | req/s: ours ÷ Hive, dedup off (goal ≥ 1.00) | req/s: ours ÷ Hive, dedup on | CPU/req: guards on ÷ off |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const operation of result.operations) {
    const ours = find(operation.id, 'ours');
    const cpu = ratio(ours?.cpuMsPerRequest, find(operation.id, 'stock-apollo')?.cpuMsPerRequest);
    const hive = ratio(ours?.requestsPerSecond, find(operation.id, 'hive')?.requestsPerSecond);
    const hiveDedup = ratio(
      ours?.requestsPerSecond,
      find(operation.id, 'hive-dedup')?.requestsPerSecond,
    );
    const guards = ratio(
      ours?.cpuMsPerRequest,
      find(operation.id, 'ours-unguarded')?.cpuMsPerRequest,
    );
    lines.push(
      `| ${operation.id} | ${mark(cpu, (v) => v <= 0.6)} | ${mark(hive, (v) => v >= 1)} | ${fixed(hiveDedup, 2)} | ${fixed(guards, 2)} |`,
    );
  }

  lines.push(
    '',
    `| operation | upstream calls | critical path | floor ms | p50 at concurrency 1, ours | ours ÷ floor (goal ≤ 1.15) | ours − floor, ms | ${result.gateways
      .filter((g) => g.id !== 'ours')
      .map((g) => `${g.label}`)
      .join(' | ')} |`,
    `| --- | ---: | --- | ---: | ---: | ---: | ---: |${result.gateways
      .filter((g) => g.id !== 'ours')
      .map(() => ' ---: |')
      .join('')}`,
  );
  for (const floor of result.floors) {
    const ours = floor.p50AtConcurrency1Ms.ours;
    lines.push(
      `| ${floor.operation} | ${floor.upstreamCalls} | ${floor.criticalPath.join(' → ')} | ${floor.floorMs} | ${fixed(ours, 1)} | ` +
        `${mark(ratio(ours, floor.floorMs), (v) => v <= 1.15)} | ${fixed(ours === undefined ? undefined : ours - floor.floorMs, 1)} | ${result.gateways
          .filter((g) => g.id !== 'ours')
          .map((g) => fixed(floor.p50AtConcurrency1Ms[g.id], 1))
          .join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function mark(value: number | undefined, meetsGoal: (v: number) => boolean): string {
  if (value === undefined) return '–';
  return `${value.toFixed(2)} ${meetsGoal(value) ? '✓' : '✗'}`;
}

const begin = '<!-- bench:results:begin -->';
const end = '<!-- bench:results:end -->';

/**
 * Replaces the results section of docs/BENCHMARKS.md with this run, in
 * prettier's format (CI checks it), so a run can be committed as it is.
 */
export async function rewriteBenchmarksDoc(
  path: string,
  result: BenchResult,
  resultFile: string,
): Promise<void> {
  const doc = readFileSync(path, 'utf8');
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} lacks the ${begin} … ${end} markers`);
  const body = `${renderReport(result)}\n\nRaw figures: \`${relative(new URL('../../', import.meta.url).pathname, resultFile)}\`.`;
  const rewritten = `${doc.slice(0, from + begin.length)}\n${body}\n${doc.slice(to)}`;
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(rewritten, { ...options, filepath: path }));
}
