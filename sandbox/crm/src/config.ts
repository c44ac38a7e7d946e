import { parseConfig } from '@bff/core';
import { sandboxEnvSchema } from '@bff/sandbox-kit';
import type { SandboxConfig } from '@bff/sandbox-kit';

/** The stand-in CRM's environment; its default OAuth2 client is the crm subgraph's dev client. */
export const envSchema = sandboxEnvSchema(4202, 'crm-subgraph:crm-subgraph-dev-secret');

export function loadConfig(env: Record<string, string | undefined>): SandboxConfig {
  return parseConfig('sandbox-crm', envSchema, env);
}
