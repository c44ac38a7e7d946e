import { createLogger, runMain, startHttpServer } from '@bff/core';
import type { Logger, ProcessLike } from '@bff/core';
import type { Express } from 'express';

import type { SandboxConfig } from './config.js';

/** The whole of a sandbox's main.ts: config from the environment, listen, stop on SIGTERM. */
export async function runSandboxMain(
  proc: ProcessLike,
  spec: {
    service: string;
    loadConfig: (env: Record<string, string | undefined>) => SandboxConfig;
    createServer: (config: SandboxConfig, logger: Logger) => { app: Express };
  },
): Promise<void> {
  await runMain(proc, async (env) => {
    const config = spec.loadConfig(env);
    const logger = createLogger({ service: spec.service, level: config.LOG_LEVEL });
    const { app } = spec.createServer(config, logger);
    const http = await startHttpServer(app, {
      host: config.HOST,
      port: config.PORT,
      graceMs: config.SHUTDOWN_GRACE_MS,
    });
    logger.info({ url: http.url }, 'sandbox listening');
    return { logger, close: () => http.close() };
  });
}
