import process from 'node:process';

import { createLogger, runMain, startHttpServer } from '@bff/core';

import { loadConfig } from './config.js';
import { createServer } from './server.js';
import { loadSupergraph } from './supergraph/loadSupergraph.js';

await runMain(process, async (env) => {
  const config = loadConfig(env);
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const supergraphSdl = loadSupergraph(config, logger);
  const gateway = await createServer(config, { logger, supergraphSdl });
  const http = await startHttpServer(gateway.handler, {
    host: config.HOST,
    port: config.PORT,
    graceMs: config.SHUTDOWN_GRACE_MS,
  });
  logger.info({ url: `${http.url}/graphql` }, 'gateway listening');
  return {
    logger,
    async close() {
      await http.close();
      await gateway.stop();
    },
  };
});
