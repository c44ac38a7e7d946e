import process from 'node:process';

import { runSubgraphMain } from '@bff/core';

import { loadConfig } from './config.js';
import type { InventorySubgraphConfig } from './config.js';
import { createServerOver } from './server.js';

// runSubgraphMain hands createServer the common dependencies only; this
// subgraph's own settings (caches, webhooks) come from the config it loaded.
let config: InventorySubgraphConfig | undefined;

await runSubgraphMain(process, {
  service: 'subgraph-inventory',
  upstream: 'inventory',
  loadConfig: (env) => (config = loadConfig(env)),
  createServer: ({ upstream, ...deps }) =>
    createServerOver(upstream, { ...deps, ...(config ? { config } : {}) }),
});
