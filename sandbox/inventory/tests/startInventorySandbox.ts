// Test helper, not a test: the stand-in inventory system on a real port (0), with a small world.
import { startSandboxForTest } from '@bff/testing';
import type { SandboxUnderTest } from '@bff/testing';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import type { InventorySandbox } from '../src/server.js';

export { smallWorldEnv } from '@bff/testing';

export const CLIENT_ID = 'inventory-subgraph';
export const CLIENT_SECRET = 'inventory-subgraph-dev-secret';

export type RunningInventory = SandboxUnderTest<InventorySandbox>;

export function startInventorySandbox(env: Record<string, string> = {}): Promise<RunningInventory> {
  return startSandboxForTest(
    { loadConfig, createServer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    env,
  );
}
