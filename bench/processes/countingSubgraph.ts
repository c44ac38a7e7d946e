// Bench process: one subgraph as production runs it, behind a counter of the
// fetches it receives (GET /__bench/fetches), so the harness can report
// subgraph fetches per gateway request whatever the gateway.
import type { RequestListener } from 'node:http';
import process from 'node:process';

import {
  createLogger,
  createUpstreamClient,
  InternalIdentityVerifier,
  startHttpServer,
} from '@bff/core';
import type { Logger, UpstreamClient } from '@bff/core';
import { loadConfig as crmConfig } from '@bff/subgraph-crm/config';
import { createServerOver as crmOver } from '@bff/subgraph-crm/server';
import { loadConfig as erpConfig } from '@bff/subgraph-erp/config';
import { createServerOver as erpOver } from '@bff/subgraph-erp/server';
import { loadConfig as inventoryConfig } from '@bff/subgraph-inventory/config';
import { createServerOver as inventoryOver } from '@bff/subgraph-inventory/server';

type Build = (
  upstream: UpstreamClient,
  logger: Logger,
  identity: InternalIdentityVerifier,
) => Promise<{ handler: RequestListener }>;
const subgraphs: Record<string, { loadConfig: typeof crmConfig; build: Build }> = {
  erp: { loadConfig: erpConfig, build: (u, logger, identity) => erpOver(u, { logger, identity }) },
  crm: { loadConfig: crmConfig, build: (u, logger, identity) => crmOver(u, { logger, identity }) },
  inventory: {
    loadConfig: inventoryConfig,
    // Its caches, store and webhooks from the environment (REFERENCE_CACHE=off): without
    // its config it would run its development defaults, the stock cache on.
    build: (u, logger, identity) =>
      inventoryOver(u, { logger, identity, config: inventoryConfig(process.env) }),
  },
};

const name = process.argv[2] ?? '';
const subgraph = subgraphs[name];
if (!subgraph) throw new Error(`usage: countingSubgraph.ts erp|crm|inventory (got "${name}")`);
const config = subgraph.loadConfig(process.env);
const logger = createLogger({ service: `subgraph-${name}`, level: config.LOG_LEVEL });
const { handler } = await subgraph.build(
  createUpstreamClient(name, config, logger),
  logger,
  new InternalIdentityVerifier(config.INTERNAL_IDENTITY_SECRET),
);

let fetches = 0;
const http = await startHttpServer(
  (req, res) => {
    if (req.url === '/__bench/fetches') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ fetches }));
      return;
    }
    if (req.method === 'POST') fetches += 1;
    handler(req, res);
  },
  { host: config.HOST, port: config.PORT },
);
process.on('SIGTERM', () => {
  void http.close().then(() => process.exit(0));
});
