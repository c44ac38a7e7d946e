import { z } from 'zod';

/** What the admin endpoint accepts; every field optional, unknown fields refused. */
export const faultSchema = z
  .object({
    /** Added to every matching call, in milliseconds. */
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /** Share of matching calls that fail with `errorStatus`, 0..1. */
    errorRate: z.number().min(0).max(1).optional(),
    /** @default 500 */
    errorStatus: z.number().int().min(400).max(599).optional(),
    /** Every matching call answers this status. */
    status: z.number().int().min(400).max(599).optional(),
    /** Sent with 429 and 503 answers. */
    retryAfterSeconds: z.number().int().min(0).max(3_600).optional(),
    /** Drop the connection without answering, as a crashed upstream would. */
    down: z.boolean().optional(),
    /** Only these route patterns ("GET /orders"); all routes when absent. */
    routes: z.array(z.string().min(1)).optional(),
    /** Apply to the next N matching calls only, then clear. */
    times: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSchema>;

export type FaultOutcome =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'status'; status: number; retryAfterSeconds?: number };

/**
 * Fault injection for tests and benchmarks: added latency, an error rate, a
 * fixed status, or the upstream being down. A base latency (configuration)
 * applies to every call; admin faults come on top of it.
 */
export class FaultInjector {
  private settings: FaultSettings = {};
  private remaining: number | undefined;

  constructor(
    private readonly baseLatencyMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  set(settings: FaultSettings): void {
    this.settings = settings;
    this.remaining = settings.times;
  }

  clear(): void {
    this.set({});
  }

  current(): FaultSettings & { baseLatencyMs: number; remaining?: number } {
    return {
      ...this.settings,
      baseLatencyMs: this.baseLatencyMs,
      ...(this.remaining !== undefined ? { remaining: this.remaining } : {}),
    };
  }

  /** Decides what happens to a call on `route`, after waiting the latency. */
  async apply(route: string): Promise<FaultOutcome> {
    const s = this.settings;
    const matches = s.routes === undefined || s.routes.includes(route);
    const active = matches && Object.keys(s).some((k) => k !== 'routes' && k !== 'times');
    if (active && this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.clear();
    }
    const latency = this.baseLatencyMs + (active ? (s.latencyMs ?? 0) : 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (!active) return { kind: 'pass' };
    if (s.down) return { kind: 'drop' };
    const retryAfter =
      s.retryAfterSeconds !== undefined ? { retryAfterSeconds: s.retryAfterSeconds } : {};
    if (s.status !== undefined) return { kind: 'status', status: s.status, ...retryAfter };
    if (s.errorRate !== undefined && this.random() < s.errorRate) {
      return { kind: 'status', status: s.errorStatus ?? 500, ...retryAfter };
    }
    return { kind: 'pass' };
  }
}
