/**
 * Counts requests per route pattern ("GET /orders/:id"), as they arrive.
 * Tests and benchmarks read it to prove batching: how many upstream calls a
 * GraphQL operation cost.
 */
export class RequestCounter {
  private counts = new Map<string, number>();

  increment(route: string): void {
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
  }

  snapshot(): { total: number; routes: Record<string, number> } {
    const routes = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    const total = [...this.counts.values()].reduce((sum, n) => sum + n, 0);
    return { total, routes };
  }

  reset(): void {
    this.counts = new Map();
  }
}
