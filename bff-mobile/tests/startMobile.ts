import { createLogger, startHttpServer } from '@bff/core';
import type { RunningHttpServer } from '@bff/core';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';

/**
 * bff-mobile on port 0 against `gatewayUrl`; `close` stops it and its pool.
 * `now` is its clock (the real one unless told otherwise).
 */
export async function startMobile(
  gatewayUrl: string,
  env: Record<string, string> = {},
  { now }: { now?: () => Date } = {},
): Promise<RunningHttpServer> {
  const config = loadConfig({ GATEWAY_URL: gatewayUrl, PORT: '0', LOG_LEVEL: 'silent', ...env });
  const bff = createServer(config, {
    logger: createLogger({ service: 'bff-mobile', level: 'silent' }),
    ...(now ? { now } : {}),
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
