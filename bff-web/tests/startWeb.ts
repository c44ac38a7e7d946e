import type { RunningHttpServer } from '@bff/core';
import { startBff } from '@bff/testing';

/** bff-web on port 0 against `gatewayUrl` (development cookie: not Secure); `close` stops it. */
export function startWeb(
  gatewayUrl: string,
  env: Record<string, string> = {},
): Promise<RunningHttpServer> {
  return startBff('bff-web', gatewayUrl, env);
}
