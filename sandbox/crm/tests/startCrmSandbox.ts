// Test helper, not a test: the stand-in CRM on a real port (0), with a small world.
import { startSandboxForTest } from '@bff/testing';
import type { SandboxUnderTest } from '@bff/testing';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import type { CrmSandbox } from '../src/server.js';

export { smallWorldEnv } from '@bff/testing';

export const CLIENT_ID = 'crm-subgraph';
export const CLIENT_SECRET = 'crm-subgraph-dev-secret';

export type RunningCrm = SandboxUnderTest<CrmSandbox>;

export function startCrmSandbox(env: Record<string, string> = {}): Promise<RunningCrm> {
  return startSandboxForTest(
    { loadConfig, createServer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    env,
  );
}
