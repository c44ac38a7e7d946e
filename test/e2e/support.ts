// The e2e tests' process helpers live in @bff/testing, shared with the benchmarks.
export { portIsClosed, repoRoot, spawnNode, waitForOk } from '@bff/testing';
export type { Spawned } from '@bff/testing';
