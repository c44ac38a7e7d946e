import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Rate limits no test meets by accident: tests about something else send
 * many requests from one address or consumer, faster than any class's real
 * budget allows. The operation limits stay at their defaults.
 */
export const roomyRateLimits = Object.fromEntries(
  ['anonymous', 'authenticated', 'partner', 'internal'].map((cls) => [
    cls,
    { rateLimit: { requestsPerMinute: 1_000_000, burst: 100_000 } },
  ]),
);

/** A CONSUMER_POLICY_FILE for the gateway under test, removed by `dispose`. */
export function writeConsumerPolicyFile(policy: unknown): { path: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bff-policy-'));
  const path = join(dir, 'consumer-policy.json');
  writeFileSync(path, JSON.stringify(policy, null, 2));
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
