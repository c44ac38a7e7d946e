import * as mobileConfig from '@bff/bff-mobile/config';
import * as mobileServer from '@bff/bff-mobile/server';
import * as webConfig from '@bff/bff-web/config';
import * as webServer from '@bff/bff-web/server';
import { createLogger, startHttpServer } from '@bff/core';
import type { RunningHttpServer } from '@bff/core';
import type { DestinationStream } from 'pino';

export type BffName = 'bff-mobile' | 'bff-web';

export interface StartBffOptions {
  /** Where its log lines go, at `info`, to assert on; without it, it logs nothing. */
  logSink?: DestinationStream;
}

/**
 * A BFF in this process on port 0 against `gatewayUrl`, logging nothing
 * unless given a `logSink`;
 * `close` stops it and its pool to the gateway. bff-web starts as in
 * development (a cookie without Secure, over plain HTTP) unless `env` says
 * otherwise.
 */
export async function startBff(
  name: BffName,
  gatewayUrl: string,
  env: Record<string, string> = {},
  options: StartBffOptions = {},
): Promise<RunningHttpServer> {
  const environment = { GATEWAY_URL: gatewayUrl, PORT: '0', LOG_LEVEL: 'silent', ...env };
  const logger = options.logSink
    ? createLogger({ service: name, level: 'info' }, options.logSink)
    : createLogger({ service: name, level: 'silent' });
  const bff =
    name === 'bff-mobile'
      ? mobileServer.createServer(mobileConfig.loadConfig(environment), { logger })
      : webServer.createServer(webConfig.loadConfig({ NODE_ENV: 'development', ...environment }), {
          logger,
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
