import { devWebhookSecret, env, serviceEnvShape } from '@bff/core';
import type { Config } from '@bff/core';
import { z } from 'zod';

import { defaultWorldOptions } from './world/generateWorld.js';
import { parseClients } from './oauth/TokenIssuer.js';

/** Environment of a sandbox upstream: the service basics, the world's scale, auth and latency. */
export function sandboxEnvSchema(defaultPort: number, defaultClients: string) {
  return z.object({
    ...serviceEnvShape(defaultPort),
    SANDBOX_SEED: z.coerce.number().int().default(defaultWorldOptions.seed),
    SANDBOX_CUSTOMERS: env.positiveInt(defaultWorldOptions.customers),
    SANDBOX_PRODUCTS: env.positiveInt(defaultWorldOptions.products),
    SANDBOX_WAREHOUSES: env.positiveInt(defaultWorldOptions.warehouses),
    SANDBOX_ORDERS: env.positiveInt(defaultWorldOptions.orders),
    /** Added to every API call, as a remote system's network and processing time. */
    SANDBOX_LATENCY_MS: env.nonNegativeInt(0),
    SANDBOX_TOKEN_TTL_SECONDS: env.positiveInt(3_600),
    /** OAuth2 clients allowed to get tokens: "id:secret,id2:secret2". */
    SANDBOX_CLIENTS: z
      .string()
      .default(defaultClients)
      .transform((text, ctx) => {
        try {
          return parseClients(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      }),
    /** When set, /__admin calls need it in the x-admin-key header. */
    SANDBOX_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Where the sandbox POSTs its events (comma-separated); `PUT /__admin/webhooks` replaces them. */
    SANDBOX_WEBHOOK_URLS: env.list().pipe(z.array(env.url())).default([]),
    /** Signs every event (Standard Webhooks); the receivers' WEBHOOK_SECRET. */
    SANDBOX_WEBHOOK_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .default(devWebhookSecret),
  });
}

export type SandboxConfig = Config<ReturnType<typeof sandboxEnvSchema>>;

export function worldOptionsOf(config: SandboxConfig) {
  return {
    seed: config.SANDBOX_SEED,
    customers: config.SANDBOX_CUSTOMERS,
    products: config.SANDBOX_PRODUCTS,
    warehouses: config.SANDBOX_WAREHOUSES,
    orders: config.SANDBOX_ORDERS,
  };
}
