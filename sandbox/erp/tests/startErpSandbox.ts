// Test helper, not a test: the stand-in ERP on a real port (0), with a small world.
import { startSandboxForTest } from '@bff/testing';
import type { SandboxUnderTest } from '@bff/testing';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import type { ErpSandbox } from '../src/server.js';

export { smallWorldEnv } from '@bff/testing';

export const CLIENT_ID = 'erp-subgraph';
export const CLIENT_SECRET = 'erp-subgraph-dev-secret';

export type RunningErp = SandboxUnderTest<ErpSandbox>;

export function startErpSandbox(env: Record<string, string> = {}): Promise<RunningErp> {
  return startSandboxForTest(
    { loadConfig, createServer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    env,
  );
}
