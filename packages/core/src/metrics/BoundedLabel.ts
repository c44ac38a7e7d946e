/** The value a bounded label takes once its budget of distinct values is spent. */
export const OTHER_LABEL_VALUE = 'other';

/**
 * Label values that come from callers (operation names, client names):
 * each distinct value is a new time series in every histogram bucket, so a
 * client sending a fresh name per request would grow the registry (and the
 * Prometheus server) without bound. The first `limit` distinct values are
 * kept as they are, for the life of the process; later ones, and any longer
 * than `maxLength`, read `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit = 200,
    private readonly maxLength = 100,
  ) {}

  /** The label value to use for `value`. */
  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit || value.length > this.maxLength) return OTHER_LABEL_VALUE;
    this.seen.add(value);
    return value;
  }

  /** How many distinct values are kept (at most `limit`). */
  get size(): number {
    return this.seen.size;
  }
}
