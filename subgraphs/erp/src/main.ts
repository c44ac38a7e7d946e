import process from 'node:process';

import { runSubgraphMain } from '@bff/core';

import { loadConfig } from './config.js';
import { createServerOver } from './server.js';

await runSubgraphMain(process, {
  service: 'subgraph-erp',
  upstream: 'erp',
  loadConfig,
  createServer: ({ upstream, ...deps }) => createServerOver(upstream, deps),
});
