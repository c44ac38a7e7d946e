import { createLogger, startHttpServer } from '@bff/core';
import type { Logger } from '@bff/core';
import { generateWorld, worldOptionsOf } from '@bff/sandbox-kit';
import type { SandboxConfig, World } from '@bff/sandbox-kit';
import type { Express } from 'express';

/** A world small enough to generate in milliseconds, big enough to page through. */
export const smallWorldEnv = {
  SANDBOX_CUSTOMERS: '50',
  SANDBOX_PRODUCTS: '30',
  SANDBOX_WAREHOUSES: '2',
  SANDBOX_ORDERS: '300',
};

export interface SandboxUnderTest<S> {
  url: string;
  sandbox: S;
  /** The same world the sandbox serves, generated independently: the expected values. */
  world: World;
  /** A fresh bearer token from POST /oauth/token. */
  token(): Promise<string>;
  /** fetch against the sandbox, with a bearer token unless `auth: false`. */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; auth?: boolean },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** One sandbox on a real port (0), with a small world, for its own HTTP tests. */
export async function startSandboxForTest<S extends { app: Express }>(
  spec: {
    loadConfig: (env: Record<string, string | undefined>) => SandboxConfig;
    createServer: (config: SandboxConfig, logger: Logger) => S;
    clientId: string;
    clientSecret: string;
  },
  env: Record<string, string> = {},
): Promise<SandboxUnderTest<S>> {
  const config = spec.loadConfig({ ...smallWorldEnv, ...env });
  const sandbox = spec.createServer(config, createLogger({ service: 'test', level: 'silent' }));
  const http = await startHttpServer(sandbox.app, { port: 0, graceMs: 1_000 });
  const world = generateWorld(worldOptionsOf(config));
  const basic = Buffer.from(`${spec.clientId}:${spec.clientSecret}`).toString('base64');

  async function token(): Promise<string> {
    const response = await fetch(`${http.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  let bearer: string | undefined;
  return {
    url: http.url,
    sandbox,
    world,
    token,
    async call(method, path, options = {}) {
      const auth = options.auth ?? true;
      if (auth) bearer ??= await token();
      return fetch(`${http.url}${path}`, {
        method,
        headers: {
          ...(auth ? { authorization: `Bearer ${bearer}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    },
    close: () => http.close(),
  };
}
