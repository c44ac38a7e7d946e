import process from 'node:process';

import { createLogger, runMain, startHttpServer } from '@bff/core';

import { loadConfig } from './config.js';
import { createServer } from './server.js';

await runMain(process, async (env) => {
  const config = loadConfig(env);
  const logger = createLogger({ service: 'bff-web', level: config.LOG_LEVEL });
  const bff = createServer(config, { logger });
  const http = await startHttpServer(bff.handler, {
    host: config.HOST,
    port: config.PORT,
    graceMs: config.SHUTDOWN_GRACE_MS,
  });
  logger.info(
    { url: http.url, gateway: config.GATEWAY_URL, explorer: config.EXPLORER },
    'bff-web listening',
  );
  return {
    logger,
    async close() {
      await http.close();
      await bff.stop();
    },
  };
});
