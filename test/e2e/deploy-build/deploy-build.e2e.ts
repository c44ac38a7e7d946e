import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signToken } from '@bff/gateway/identity';
import { composeSupergraph, readSupergraphConfig } from '@bff/gateway/supergraph';
import { postGraphQL } from '@bff/testing';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { repoRoot, spawnNode, waitForOk } from '../support.js';
import type { Spawned } from '../support.js';

// The production path: `npm run build`, then each service alone with plain
// `node <service>/dist/main.js`, the gateway serving a composed supergraph
// file (SUPERGRAPH_PATH) as a deployment ships the artifact CI checked, and
// bearer tokens checked against an identity provider's JWKS URL (RS256).
describe('built services started alone', () => {
  const running: Spawned[] = [];
  const tempDir = mkdtempSync(join(tmpdir(), 'supergraph-'));
  const issuer = 'https://idp.test/';
  const audience = 'erp-crm-graph';
  const internalIdentitySecret = randomBytes(32).toString('base64url');
  let gatewayUrl: string;
  let identityProvider: Server;
  let signingKey: JWK;

  beforeAll(async () => {
    // The identity provider: an RS256 key whose public half is served as a JWKS.
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', kid: 'idp-1' };
    const jwks = JSON.stringify({
      keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', kid: 'idp-1', use: 'sig' }],
    });
    identityProvider = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(jwks);
    });
    await new Promise<void>((resolve) => identityProvider.listen(0, '127.0.0.1', resolve));
    const { port: idpPort } = identityProvider.address() as { port: number };

    execFileSync(
      process.execPath,
      [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
      {
        cwd: repoRoot,
        stdio: 'pipe',
      },
    );
    // Every service binds port 0 and says where it listens: ports picked
    // beforehand can be taken by another test's server before the service
    // binds them (and a readiness probe would then ask the wrong service).
    const common = { NODE_ENV: 'production', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0' };
    const start = async (args: string[], env: Record<string, string>) => {
      const service = spawnNode(args, { ...common, ...env });
      running.push(service);
      const line = await service.waitForLine(/"msg":"\w+ listening"/, 60_000);
      return (JSON.parse(line) as { url: string }).url.replace(/\/graphql$/, '');
    };
    const subgraphUrls: Record<string, string> = {};
    const sandboxUrls: Record<string, string> = {};
    for (const name of ['erp', 'crm', 'inventory'] as const) {
      sandboxUrls[name] = await start([`sandbox/${name}/dist/main.js`], {
        NODE_ENV: 'development',
      });
    }
    for (const name of ['erp', 'crm', 'inventory'] as const) {
      subgraphUrls[name] = await start([`subgraphs/${name}/dist/main.js`], {
        UPSTREAM_BASE_URL: sandboxUrls[name]!,
        UPSTREAM_CLIENT_ID: `${name}-subgraph`,
        UPSTREAM_CLIENT_SECRET: `${name}-subgraph-dev-secret`,
        INTERNAL_IDENTITY_SECRET: internalIdentitySecret,
        // The ERP and inventory subgraphs' check of their upstream's webhooks: required in production (the CRM subgraph ignores it).
        WEBHOOK_SECRET: 'deploy-build-webhook-secret-0123456789ab',
        // placeOrder's other upstreams: required in production too.
        ...(name === 'erp'
          ? {
              INVENTORY_BASE_URL: sandboxUrls.inventory!,
              INVENTORY_CLIENT_ID: 'inventory-subgraph',
              INVENTORY_CLIENT_SECRET: 'inventory-subgraph-dev-secret',
              CRM_BASE_URL: sandboxUrls.crm!,
              CRM_CLIENT_ID: 'crm-subgraph',
              CRM_CLIENT_SECRET: 'crm-subgraph-dev-secret',
            }
          : {}),
      });
    }
    const supergraphPath = join(tempDir, 'supergraph.graphql');
    const { supergraphSdl } = composeSupergraph(
      readSupergraphConfig(join(repoRoot, 'supergraph.yaml')),
      Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [name, `${url}/graphql`]),
      ),
    );
    writeFileSync(supergraphPath, supergraphSdl);
    const gateway = await start(['gateway/dist/main.js'], {
      SUPERGRAPH_PATH: supergraphPath,
      AUTH_JWKS_URL: `http://127.0.0.1:${idpPort}/.well-known/jwks.json`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      INTERNAL_IDENTITY_SECRET: internalIdentitySecret,
    });
    await waitForOk(`${gateway}/ready`, 60_000);
    gatewayUrl = `${gateway}/graphql`;
  });

  afterAll(async () => {
    for (const service of running)
      if (service.child.exitCode === null) service.child.kill('SIGTERM');
    await Promise.all(running.map((s) => s.exited));
    rmSync(tempDir, { recursive: true, force: true });
    identityProvider?.close();
  });

  const bearer = async (claims: { scopes: string[]; audience?: string }) => ({
    authorization: `Bearer ${await signToken({ sub: 'dana', issuer, audience, ...claims }, { privateJwk: signingKey })}`,
  });

  it('serve a query across all three subgraphs to a caller the identity provider signed', async () => {
    const result = await postGraphQL<{
      orders: { nodes: { customer: { name: string; email: string }; lines: unknown[] }[] };
    }>(
      gatewayUrl,
      {
        query:
          '{ orders(first: 3) { nodes { number customer { name email } lines { product { name stock { available } } } } } }',
      },
      await bearer({ scopes: ['crm:pii'] }),
    );
    expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();
    expect(result.body.data?.orders.nodes).toHaveLength(3);
    expect(result.body.data?.orders.nodes.every((o) => o.customer.email.includes('@'))).toBe(true);
  });

  it('refuses a token for another audience, and an anonymous caller gets no orders', async () => {
    const query = '{ orders(first: 1) { nodes { number } } }';
    const wrongAudience = await postGraphQL(
      gatewayUrl,
      { query },
      await bearer({ scopes: [], audience: 'another-api' }),
    );
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const anonymous = await postGraphQL(gatewayUrl, { query });
    expect(anonymous.body.data).toBeNull();
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  });

  it('production hides introspection by default', async () => {
    const result = await postGraphQL(gatewayUrl, { query: '{ __schema { queryType { name } } }' });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('each exits 0 on SIGTERM', async () => {
    for (const service of running) service.child.kill('SIGTERM');
    const codes = await Promise.all(running.map((s) => s.exited));
    expect(codes, running.map((s) => s.output.slice(-5).join('\n')).join('\n---\n')).toEqual(
      running.map(() => 0),
    );
  });
});

describe('a service with a bad configuration', () => {
  it('stops at start with a message naming the variable, and exits 1', async () => {
    const service = spawnNode(
      ['--conditions=source', '--import', 'tsx', 'subgraphs/erp/src/main.ts'],
      {
        NODE_ENV: 'production',
        PORT: 'not-a-port',
        UPSTREAM_BASE_URL: 'erp.example.com',
      },
    );
    expect(await service.exited).toBe(1);
    const text = service.output.join('\n');
    expect(text).toContain('subgraph-erp: invalid configuration');
    expect(text).toContain('PORT: must be a TCP port number');
    expect(text).toContain('UPSTREAM_BASE_URL: must be an absolute URL');
    expect(text).toContain('UPSTREAM_CLIENT_SECRET: is required when NODE_ENV=production');
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a supergraph that does not compose stops the gateway with the composition errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broken-supergraph-'));
    try {
      writeFileSync(join(dir, 'a.graphql'), 'type Query { thing: Thing } type Thing { id: ID! }');
      writeFileSync(
        join(dir, 'b.graphql'),
        'type Query { other: Thing } type Thing { id: String! }',
      );
      writeFileSync(
        join(dir, 'supergraph.yaml'),
        'subgraphs:\n  a:\n    routing_url: http://127.0.0.1:1/graphql\n    schema: { file: ./a.graphql }\n' +
          '  b:\n    routing_url: http://127.0.0.1:2/graphql\n    schema: { file: ./b.graphql }\n',
      );
      const gateway = spawnNode(['--conditions=source', '--import', 'tsx', 'gateway/src/main.ts'], {
        PORT: '0',
        SUPERGRAPH_CONFIG: join(dir, 'supergraph.yaml'),
      });
      expect(await gateway.exited).toBe(1);
      const text = gateway.output.join('\n');
      expect(text).toContain('supergraph composition failed');
      expect(text).toMatch(/INVALID_GRAPHQL|FIELD_TYPE_MISMATCH|SHAREABLE/);
      expect(text).toContain('"a"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
