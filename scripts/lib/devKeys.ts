import { join } from 'node:path';
import process from 'node:process';

import { repoRoot } from './stackPlan.js';

/** The gateway's DEV_KEYS_DIR: .dev-keys at the repository root unless set. */
export function devKeysDir(): string {
  return process.env.DEV_KEYS_DIR || join(repoRoot, '.dev-keys');
}

/** A usage error: what was wrong, on stderr, and exit status 2. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
