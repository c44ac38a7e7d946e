import { parseConfig } from '@bff/core';
import { sandboxEnvSchema } from '@bff/sandbox-kit';
import type { SandboxConfig } from '@bff/sandbox-kit';

/** The stand-in inventory system's environment; its default OAuth2 client is the inventory subgraph's dev client. */
export const envSchema = sandboxEnvSchema(4203, 'inventory-subgraph:inventory-subgraph-dev-secret');

export function loadConfig(env: Record<string, string | undefined>): SandboxConfig {
  return parseConfig('sandbox-inventory', envSchema, env);
}
