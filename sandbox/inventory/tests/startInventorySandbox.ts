// Test helper, not a test: the stand-in inventory system (WMS) on a real port (0), with a small world.
import { createLogger, startHttpServer } from '@bff/core';
import { generateWorld } from '@bff/sandbox-kit';
import type { World } from '@bff/sandbox-kit';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import type { InventorySandbox } from '../src/server.js';

export const smallWorldEnv = {
  SANDBOX_CUSTOMERS: '50',
  SANDBOX_PRODUCTS: '30',
  SANDBOX_WAREHOUSES: '2',
  SANDBOX_ORDERS: '300',
};

export const CLIENT_ID = 'inventory-subgraph';
export const CLIENT_SECRET = 'inventory-subgraph-dev-secret';

export interface RunningInventory {
  url: string;
  sandbox: InventorySandbox;
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

export async function startInventorySandbox(
  env: Record<string, string> = {},
): Promise<RunningInventory> {
  const config = loadConfig({ ...smallWorldEnv, ...env });
  const sandbox = createServer(config, createLogger({ service: 'test', level: 'silent' }));
  const http = await startHttpServer(sandbox.app, { port: 0, graceMs: 1_000 });
  const world = generateWorld({
    seed: config.SANDBOX_SEED,
    customers: config.SANDBOX_CUSTOMERS,
    products: config.SANDBOX_PRODUCTS,
    warehouses: config.SANDBOX_WAREHOUSES,
    orders: config.SANDBOX_ORDERS,
  });

  async function token(): Promise<string> {
    const response = await fetch(`${http.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
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
