export interface TimedCall {
  route: string;
  startedAt: number;
  endedAt: number;
}

/**
 * The longest chain of upstream calls in which each call started only after
 * the previous one ended: the calls one request had to wait for one after
 * another. Calls that overlap ran in parallel and count once.
 */
export function criticalPath(calls: readonly TimedCall[], toleranceMs = 1): TimedCall[] {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const best: TimedCall[][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const call = sorted[i] as TimedCall;
    let chain: TimedCall[] = [];
    for (let j = 0; j < i; j++) {
      const before = best[j] as TimedCall[];
      const last = before.at(-1) as TimedCall;
      if (last.endedAt <= call.startedAt + toleranceMs && before.length > chain.length)
        chain = before;
    }
    best.push([...chain, call]);
  }
  return best.reduce<TimedCall[]>(
    (longest, chain) => (chain.length > longest.length ? chain : longest),
    [],
  );
}
