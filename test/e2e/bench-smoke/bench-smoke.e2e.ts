import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { spawnNode } from '@bff/testing';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run bench -- --smoke`: every gateway, every operation, one short round,
// so the harness cannot rot between real runs. Its figures mean nothing.
describe('the benchmark harness, in smoke mode', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('runs all five gateways over the same data and writes a complete result', async () => {
    const bench = spawnNode(
      ['--conditions=source', '--import', 'tsx', 'bench/run.ts', '--smoke', '--out', outDir],
      {},
    );
    const code = await bench.exited;
    expect(code, bench.output.slice(-40).join('\n')).toBe(0);

    const files = readdirSync(outDir).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const result = JSON.parse(readFileSync(join(outDir, files[0] as string), 'utf8')) as {
      gateways: { id: string }[];
      summary: {
        gateway: string;
        operation: string;
        requestsPerSecond: number;
        cpuMsPerRequest: number;
        subgraphFetchesPerRequest: number;
        upstreamCallsPerRequest: number;
        failed: number;
      }[];
      floors: {
        operation: string;
        criticalPath: string[];
        floorMs: number;
        p50AtConcurrency1Ms: Record<string, number>;
      }[];
    };
    expect(result.gateways.map((g) => g.id)).toEqual([
      'ours',
      'ours-unguarded',
      'stock-apollo',
      'hive',
      'hive-dedup',
    ]);
    expect(result.summary).toHaveLength(15);
    for (const row of result.summary) {
      expect(row.requestsPerSecond, `${row.gateway} ${row.operation}`).toBeGreaterThan(0);
      expect(row.cpuMsPerRequest, `${row.gateway} ${row.operation}`).toBeGreaterThan(0);
      expect(row.upstreamCallsPerRequest, `${row.gateway} ${row.operation}`).toBeGreaterThan(0);
      expect(row.failed, `${row.gateway} ${row.operation}`).toBe(0);
    }
    // The medium and large operations wait for three upstream calls in a row:
    // the ERP, then the ERP clients behind the orders, then the CRM.
    expect(result.floors.map((f) => [f.operation, f.criticalPath.length])).toEqual([
      ['small', 1],
      ['medium', 3],
      ['large', 3],
    ]);
    for (const floor of result.floors)
      expect(Object.keys(floor.p50AtConcurrency1Ms)).toHaveLength(5);
  }, 240_000);
});
