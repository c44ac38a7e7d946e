import process from 'node:process';

import { createUpstreamClient, runSubgraphMain, upstreamMetricsObserver } from '@bff/core';
import { createSharedStore } from '@bff/shared-state';

import { loadConfig, upstreamConfig } from './config.js';
import type { ErpSubgraphConfig } from './config.js';
import { createServerOver } from './server.js';

let config: ErpSubgraphConfig | undefined;

await runSubgraphMain(process, {
  service: 'subgraph-erp',
  upstream: 'erp',
  loadConfig: (env) => (config = loadConfig(env)),
  createServer: async ({ upstream, ...deps }) => {
    const c = config!;
    // placeOrder's other upstreams, each with its own pool, breaker and token.
    const options = { observer: upstreamMetricsObserver(deps.metrics), tracing: deps.tracing };
    const inventory = createUpstreamClient(
      'inventory',
      upstreamConfig(c, 'inventory'),
      deps.logger,
      options,
    );
    const crm = createUpstreamClient('crm', upstreamConfig(c, 'crm'), deps.logger, options);
    const store = createSharedStore({
      ...(c.REDIS_URL ? { redisUrl: c.REDIS_URL } : {}),
      keyPrefix: c.REDIS_KEY_PREFIX,
      timeoutMs: c.REDIS_TIMEOUT_MS,
      logger: deps.logger,
    });
    // /ready stays the ERP's alone: the CRM is not essential to an order, and
    // an inventory outage fails placeOrder only, not every read this serves.
    const server = await createServerOver(upstream, deps, {
      inventory,
      crm,
      store,
      config: c,
    });
    return {
      ...server,
      async stop() {
        await server.stop();
        await Promise.all([inventory.close(), crm.close(), store.close()]);
      },
    };
  },
});
