import {
  createLogger,
  createServiceMetrics,
  createTracing,
  createUpstreamClient,
  InternalIdentityVerifier,
  startHttpServer,
  upstreamMetricsObserver,
} from '@bff/core';
import type { Logger, RunningHttpServer, UpstreamClient } from '@bff/core';
import { loadConfig as loadGatewayConfig } from '@bff/gateway/config';
import { createServer as createGateway } from '@bff/gateway/server';
import { loadSupergraph } from '@bff/gateway/supergraph';
import { loadConfig as loadCrmSandboxConfig } from '@bff/sandbox-crm/config';
import { createServer as createCrmSandbox } from '@bff/sandbox-crm/server';
import { loadConfig as loadErpSandboxConfig } from '@bff/sandbox-erp/config';
import { createServer as createErpSandbox } from '@bff/sandbox-erp/server';
import { loadConfig as loadInventorySandboxConfig } from '@bff/sandbox-inventory/config';
import { createServer as createInventorySandbox } from '@bff/sandbox-inventory/server';
import { loadConfig as loadCrmConfig } from '@bff/subgraph-crm/config';
import { createServerOver as createCrmSubgraph } from '@bff/subgraph-crm/server';
import { loadConfig as loadErpConfig, upstreamConfig } from '@bff/subgraph-erp/config';
import { createServerOver as createErpSubgraph } from '@bff/subgraph-erp/server';
import { loadConfig as loadInventoryConfig } from '@bff/subgraph-inventory/config';
import { createServerOver as createInventorySubgraph } from '@bff/subgraph-inventory/server';
import { createSharedStore } from '@bff/shared-state';
import type { DestinationStream } from 'pino';

import { roomyRateLimits, writeConsumerPolicyFile } from './consumerPolicyFile.js';
import { fullAccessConsumer } from './createSubgraphTestServer.js';
import { SandboxAdmin, UpstreamReader } from './SandboxAdmin.js';
import { TestCredentials } from './TestCredentials.js';

export type UpstreamName = 'erp' | 'crm' | 'inventory';
type Env = Record<string, string>;

export interface StackOptions {
  /** @default 'silent' (or LOG_LEVEL) */
  logLevel?: string;
  /** Every service's log lines, to assert on. */
  logSink?: DestinationStream;
  /** Extra environment for all three sandboxes (scale, latency, token TTL). */
  sandboxEnv?: Env;
  /** Extra environment for all three subgraphs. */
  subgraphEnv?: Env;
  gatewayEnv?: Env;
}

export interface StackService {
  url: string;
  close(): Promise<void>;
}

export interface Stack {
  /** The gateway's /graphql URL. */
  gatewayUrl: string;
  /** The gateway; `url` is its /graphql URL. */
  gateway: StackService;
  /**
   * Another gateway over the same subgraphs and credentials, with `env` on
   * top (AUTHORIZATION_MODE=reject, GUARDS=off, …); closed with the stack.
   */
  startGateway(env?: Env, options?: { logSink?: DestinationStream }): Promise<StackService>;
  /** Tokens and API keys the gateway accepts. */
  credentials: TestCredentials;
  /**
   * Headers of an internal service holding every scope, for tests about
   * something other than access.
   */
  fullAccess: Record<string, string>;
  sandboxes: Record<UpstreamName, StackService & { admin: SandboxAdmin; reader: UpstreamReader }>;
  /** Each subgraph's /graphql URL. */
  subgraphs: Record<UpstreamName, StackService>;
  /** Every sandbox's counters reset. */
  resetCounters(): Promise<void>;
  /** Upstream calls since the last reset, per sandbox and in total. */
  upstreamCalls(options?: {
    excludeTokens?: boolean;
  }): Promise<Record<UpstreamName | 'total', number>>;
  close(): Promise<void>;
}

const devCredentials: Record<UpstreamName, { clientId: string; clientSecret: string }> = {
  erp: { clientId: 'erp-subgraph', clientSecret: 'erp-subgraph-dev-secret' },
  crm: { clientId: 'crm-subgraph', clientSecret: 'crm-subgraph-dev-secret' },
  inventory: { clientId: 'inventory-subgraph', clientSecret: 'inventory-subgraph-dev-secret' },
};

/**
 * The whole stack in this process, every service on its own ephemeral port
 * and talking to the others over real HTTP: three sandboxes, three subgraphs
 * over their real upstream clients, and the gateway composed from
 * supergraph.yaml with the subgraphs' URLs.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const level = options.logLevel ?? process.env.LOG_LEVEL ?? 'silent';
  const loggerFor = (service: string): Logger => createLogger({ service, level }, options.logSink);
  const base: Env = { NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', SHUTDOWN_GRACE_MS: '2000' };
  const closers: (() => Promise<void>)[] = [];
  const credentials = new TestCredentials();
  closers.push(async () => credentials.close());
  const listen = async (
    handler: Parameters<typeof startHttpServer>[0],
  ): Promise<RunningHttpServer> => {
    const http = await startHttpServer(handler, { port: 0, graceMs: 2_000 });
    closers.push(() => http.close());
    return http;
  };

  try {
    const sandboxEnv = { ...base, ...options.sandboxEnv };
    const inventorySandbox = createInventorySandbox(
      loadInventorySandboxConfig(sandboxEnv),
      loggerFor('sandbox-inventory'),
    );
    const erpSandbox = createErpSandbox(loadErpSandboxConfig(sandboxEnv), loggerFor('sandbox-erp'));
    const sandboxApps = {
      erp: erpSandbox.app,
      crm: createCrmSandbox(loadCrmSandboxConfig(sandboxEnv), loggerFor('sandbox-crm')).app,
      inventory: inventorySandbox.app,
    };
    const sandboxes = {} as Stack['sandboxes'];
    for (const name of ['erp', 'crm', 'inventory'] as const) {
      const http = await listen(sandboxApps[name]);
      const admin = new SandboxAdmin(http.url, sandboxEnv.SANDBOX_ADMIN_KEY);
      sandboxes[name] = {
        url: http.url,
        close: http.close,
        admin,
        reader: new UpstreamReader(admin, devCredentials[name]),
      };
    }

    const subgraphs = {} as Stack['subgraphs'];
    const subgraphSpecs = [
      ['erp', loadErpConfig, createErpSubgraph],
      ['crm', loadCrmConfig, createCrmSubgraph],
      [
        'inventory',
        loadInventoryConfig,
        // Its own settings (caches, webhooks, admin token) from the same environment.
        (upstream: UpstreamClient, deps: Parameters<typeof createInventorySubgraph>[1]) =>
          createInventorySubgraph(upstream, {
            ...deps,
            config: loadInventoryConfig({ ...base, ...options.subgraphEnv }),
          }),
      ],
    ] as const;
    for (const [name, loadConfig, create] of subgraphSpecs) {
      const config = loadConfig({
        ...base,
        UPSTREAM_BASE_URL: sandboxes[name].url,
        ...options.subgraphEnv,
      });
      const logger = loggerFor(`subgraph-${name}`);
      // As runSubgraphMain wires it: one registry for the server's series and the upstream client's.
      const metrics = createServiceMetrics(`subgraph-${name}`);
      const tracing = createTracing({
        service: `subgraph-${name}`,
        endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
        logger,
      });
      closers.push(() => tracing.shutdown());
      const upstream = createUpstreamClient(name, config, logger, {
        observer: upstreamMetricsObserver(metrics),
        tracing,
      });
      closers.push(() => upstream.close());
      const deps = {
        logger,
        identity: new InternalIdentityVerifier(config.INTERNAL_IDENTITY_SECRET),
        readiness: { [name]: () => upstream.ping() },
        metrics,
        tracing,
      };
      // The ERP subgraph's placeOrder saga also calls inventory and the CRM.
      const server =
        name === 'erp'
          ? await createErpSubgraph(
              upstream,
              deps,
              await erpSagaUpstreams(sandboxes, options, logger, closers),
            )
          : await create(upstream, deps);
      closers.push(() => server.stop());
      const http = await listen(server.handler);
      subgraphs[name] = { url: `${http.url}/graphql`, close: http.close };
      // Each system's events go to its subgraph, as a real subscription would.
      if (name === 'inventory') {
        inventorySandbox.webhooks.setTargets([`${http.url}/webhooks/inventory`]);
      }
      if (name === 'erp') erpSandbox.webhooks.setTargets([`${http.url}/webhooks/erp`]);
    }

    const roomyPolicy = writeConsumerPolicyFile(roomyRateLimits);
    closers.push(async () => roomyPolicy.dispose());
    const startGateway: Stack['startGateway'] = async (env = {}, gatewayOptions = {}) => {
      const gatewayConfig = loadGatewayConfig({
        ...base,
        SUBGRAPH_ERP_URL: subgraphs.erp.url,
        SUBGRAPH_CRM_URL: subgraphs.crm.url,
        SUBGRAPH_INVENTORY_URL: subgraphs.inventory.url,
        ...credentials.gatewayEnv(),
        CONSUMER_POLICY_FILE: roomyPolicy.path,
        ...options.gatewayEnv,
        ...env,
      });
      const gatewayLogger = createLogger(
        { service: 'gateway', level: env.LOG_LEVEL ?? level },
        gatewayOptions.logSink ?? options.logSink,
      );
      const gatewayServer = await createGateway(gatewayConfig, {
        logger: gatewayLogger,
        supergraphSdl: loadSupergraph(gatewayConfig, gatewayLogger),
      });
      closers.push(() => gatewayServer.stop());
      const http = await listen(gatewayServer.handler);
      return { url: `${http.url}/graphql`, close: http.close };
    };
    const gateway = await startGateway();

    const stack: Stack = {
      gatewayUrl: gateway.url,
      credentials,
      fullAccess: await credentials.bearer({
        sub: 'integration-test',
        class: 'internal',
        scopes: [...fullAccessConsumer.scopes],
      }),
      gateway,
      startGateway,
      sandboxes,
      subgraphs,
      async resetCounters() {
        await Promise.all(Object.values(sandboxes).map((s) => s.admin.resetCounters()));
      },
      async upstreamCalls({ excludeTokens = false } = {}) {
        const result = { erp: 0, crm: 0, inventory: 0, total: 0 };
        for (const name of ['erp', 'crm', 'inventory'] as const) {
          const { routes } = await sandboxes[name].admin.counters();
          const count = Object.entries(routes)
            .filter(([route]) => !(excludeTokens && route === 'POST /oauth/token'))
            .reduce((sum, [, n]) => sum + n, 0);
          result[name] = count;
          result.total += count;
        }
        return result;
      },
      close: () => closeAll(closers),
    };
    return stack;
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/** placeOrder's other upstreams and its shared state (memory unless subgraphEnv sets REDIS_URL). */
async function erpSagaUpstreams(
  sandboxes: Stack['sandboxes'],
  options: StackOptions,
  logger: Logger,
  closers: (() => Promise<void>)[],
) {
  const env = options.subgraphEnv ?? {};
  const config = loadErpConfig({
    NODE_ENV: 'test',
    UPSTREAM_BASE_URL: sandboxes.erp.url,
    INVENTORY_BASE_URL: sandboxes.inventory.url,
    CRM_BASE_URL: sandboxes.crm.url,
    ADMIN_TOKEN: stackAdminToken,
    // Quick retries, so a test sees a dead letter within a second.
    JOB_MAX_ATTEMPTS: '3',
    JOB_RETRY_BASE_MS: '50',
    ...env,
  });
  const inventory = createUpstreamClient('inventory', upstreamConfig(config, 'inventory'), logger);
  const crm = createUpstreamClient('crm', upstreamConfig(config, 'crm'), logger);
  const store = createSharedStore({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    keyPrefix: config.REDIS_KEY_PREFIX,
    timeoutMs: config.REDIS_TIMEOUT_MS,
    logger,
  });
  closers.push(async () => {
    await Promise.all([inventory.close(), crm.close(), store.close()]);
  });
  return {
    inventory,
    crm,
    store,
    config,
  };
}

/** The ERP subgraph's admin token in a stack (its /admin/* routes). */
export const stackAdminToken = 'stack-admin-token-0123456789';

/** Closes in reverse order of starting: gateway first, sandboxes last. */
async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers.reverse()) {
    await close().catch(() => undefined);
  }
}
