import { createLogger, startHttpServer } from '@bff/core';
import type { RunningHttpServer } from '@bff/core';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';

/** bff-web on port 0 against `gatewayUrl` (development cookie: not Secure); `close` stops it. */
export async function startWeb(
  gatewayUrl: string,
  env: Record<string, string> = {},
): Promise<RunningHttpServer> {
  const config = loadConfig({
    GATEWAY_URL: gatewayUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'development',
    ...env,
  });
  const bff = createServer(config, {
    logger: createLogger({ service: 'bff-web', level: 'silent' }),
  });
  const http = await startHttpServer(bff.handler, { port: 0, graceMs: 100 });
  return {
    ...http,
    async close() {
      await http.close();
      await bff.stop();
    },
  };
}
