// Bench process: the three sandbox upstreams in one process, each on its own
// port, with the configured latency on every API call.
import process from 'node:process';

import { createLogger, startHttpServer } from '@bff/core';
import { loadConfig as crmConfig } from '@bff/sandbox-crm/config';
import { createServer as createCrm } from '@bff/sandbox-crm/server';
import { loadConfig as erpConfig } from '@bff/sandbox-erp/config';
import { createServer as createErp } from '@bff/sandbox-erp/server';
import { loadConfig as inventoryConfig } from '@bff/sandbox-inventory/config';
import { createServer as createInventory } from '@bff/sandbox-inventory/server';

const logger = createLogger({ service: 'bench-sandboxes', level: 'warn' });
const env = process.env;
const apps = [
  [createErp(erpConfig(env), logger).app, env.ERP_SANDBOX_PORT],
  [createCrm(crmConfig(env), logger).app, env.CRM_SANDBOX_PORT],
  [createInventory(inventoryConfig(env), logger).app, env.INVENTORY_SANDBOX_PORT],
] as const;
const servers = await Promise.all(
  apps.map(([app, port]) => startHttpServer(app, { port: Number(port) })),
);
process.on('SIGTERM', () => {
  void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0));
});
