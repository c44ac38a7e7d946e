import { parseConfig } from '@bff/core';
import { sandboxEnvSchema } from '@bff/sandbox-kit';
import type { SandboxConfig } from '@bff/sandbox-kit';

/** The stand-in ERP's environment; its default OAuth2 client is the erp subgraph's dev client. */
export const envSchema = sandboxEnvSchema(4201, 'erp-subgraph:erp-subgraph-dev-secret');

export function loadConfig(env: Record<string, string | undefined>): SandboxConfig {
  return parseConfig('sandbox-erp', envSchema, env);
}
