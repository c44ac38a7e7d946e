/**
 * The Node flags the gateway runs with in production (and under `npm start`
 * and the benchmarks), from one place. Measured on the large operation
 * (docs/BENCHMARKS.md): a federated response makes many short-lived objects,
 * so a 32 MiB young generation roughly halves collection work; and on the
 * 1–2 vCPU a gateway replica gets, V8's parallel GC helpers only compete for
 * the same cores, so collecting on the main thread costs about 10% less CPU
 * per request.
 */
export const gatewayNodeFlags: readonly string[] = [
  '--max-semi-space-size=32',
  '--single-threaded-gc',
];
