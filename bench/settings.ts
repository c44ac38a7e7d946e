import { parseArgs } from 'node:util';

import { z } from 'zod';

const settingsSchema = z.object({
  /** A few seconds, one round, results to a temporary folder: proves the harness works. */
  smoke: z.boolean(),
  /** Added by the sandboxes to every upstream call. */
  latencyMs: z.coerce.number().int().min(0).max(10_000),
  /** Concurrent connections of the load generator during timed runs. */
  connections: z.coerce.number().int().min(1).max(1_000),
  /** Seconds of each timed run. */
  durationSeconds: z.coerce.number().min(0.5).max(600),
  /** Seconds of load before each timed run, not counted. */
  warmupSeconds: z.coerce.number().min(0).max(120),
  /** Interleaved rounds (A B C D, A B C D, ...); medians are reported. */
  rounds: z.coerce.number().int().min(1).max(20),
  /** Sequential requests per operation and gateway for the concurrency-1 floor. */
  floorRequests: z.coerce.number().int().min(1).max(10_000),
  /** Where the results JSON goes. */
  outDir: z.string().min(1),
  /** Rewrite the table in docs/BENCHMARKS.md. */
  writeDocs: z.boolean(),
  /**
   * Where ours keeps its shared state (rate-limit buckets) during the run, as
   * a fleet of replicas would; empty for process memory.
   */
  redisUrl: z.string(),
  /** Only these gateways (ids), for a quick look; all when empty. */
  only: z.array(z.string()),
});

export type BenchSettings = z.output<typeof settingsSchema>;

const usage = `npm run bench -- [--smoke] [--latency-ms 50] [--connections 100] [--duration 10]
                      [--warmup 3] [--rounds 3] [--floor-requests 100] [--out bench/results]
                      [--no-docs] [--only ours,stock-apollo] [--redis-url redis://127.0.0.1:6379 | '']`;

/** Settings from the command line (flags win) and BENCH_* environment variables. */
export function readSettings(
  argv: string[],
  env: Record<string, string | undefined>,
): BenchSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      'latency-ms': { type: 'string' },
      'redis-url': { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      'floor-requests': { type: 'string' },
      out: { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const smoke = values.smoke === true;
  const parsed = settingsSchema.safeParse({
    smoke,
    latencyMs: values['latency-ms'] ?? env.BENCH_LATENCY_MS ?? 50,
    connections: values.connections ?? env.BENCH_CONNECTIONS ?? (smoke ? 4 : 100),
    durationSeconds: values.duration ?? env.BENCH_DURATION ?? (smoke ? 0.5 : 10),
    warmupSeconds: values.warmup ?? env.BENCH_WARMUP ?? (smoke ? 0.2 : 3),
    rounds: values.rounds ?? env.BENCH_ROUNDS ?? (smoke ? 1 : 3),
    floorRequests: values['floor-requests'] ?? env.BENCH_FLOOR_REQUESTS ?? (smoke ? 3 : 100),
    outDir: values.out ?? env.BENCH_OUT ?? 'bench/results',
    writeDocs: !smoke && values['no-docs'] !== true,
    redisUrl: values['redis-url'] ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    only: (values.only ?? env.BENCH_ONLY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n');
    throw new Error(`bad benchmark settings:\n${problems}\n\n${usage}`);
  }
  return parsed.data;
}
