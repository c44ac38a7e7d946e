import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getAvailablePort, postGraphQL } from '@bff/testing';
import type { GraphQLResult } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { portIsClosed, repoRoot, spawnNode, waitForOk } from '../support.js';
import type { Spawned } from '../support.js';

const readme = () => readFileSync(join(repoRoot, 'README.md'), 'utf8');

/**
 * The README's example operations, exactly as printed there, and whether
 * each is sent with the README's token or (marked so) without credentials.
 */
function readmeExamples(): { name: string; query: string; anonymous: boolean }[] {
  return [
    ...readme().matchAll(/(<!-- sent without credentials -->\n\n)?```graphql\n([\s\S]*?)```/g),
  ].map((match) => {
    const query = match[2] as string;
    const name = /query (\w+)/.exec(query)?.[1] ?? 'unnamed';
    return { name, query, anonymous: match[1] !== undefined };
  });
}

/** The arguments of the README's `npm run -s token -- …` command. */
function readmeTokenArguments(): string[] {
  const line = /TOKEN=\$\(npm run -s token -- ([^)]*)\)/.exec(readme());
  if (!line) throw new Error('the README no longer shows how to get a token');
  return (line[1] as string).split(/\s+/);
}

describe('npm start', () => {
  const names = [
    'GATEWAY_PORT',
    'BFF_MOBILE_PORT',
    'ERP_SUBGRAPH_PORT',
    'CRM_SUBGRAPH_PORT',
    'INVENTORY_SUBGRAPH_PORT',
    'ERP_SANDBOX_PORT',
    'CRM_SANDBOX_PORT',
    'INVENTORY_SANDBOX_PORT',
  ];
  const ports: Record<string, string> = {};
  let stack: Spawned;
  let gatewayUrl: string;
  let firstAnswer: GraphQLResult;
  /** The development keys of this run, away from the checkout's own .dev-keys. */
  const devKeysDir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
  let auth: Record<string, string>;

  beforeAll(async () => {
    for (const name of names) ports[name] = String(await getAvailablePort());
    // What `npm run token` runs (package.json), as the README shows it: on a
    // fresh checkout it creates the development key the gateway then trusts.
    const token = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/token.ts', ...readmeTokenArguments()],
      { cwd: repoRoot, env: { ...process.env, DEV_KEYS_DIR: devKeysDir }, encoding: 'utf8' },
    );
    auth = { authorization: `Bearer ${token.trim()}` };
    // What `npm start` runs (package.json), with ports from the environment.
    stack = spawnNode(['--conditions=source', '--import', 'tsx', 'scripts/start.ts'], {
      ...ports,
      DEV_KEYS_DIR: devKeysDir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    });
    gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
    // As a user would: poll the gateway's port, and query the moment it opens.
    await waitForOk(`http://127.0.0.1:${ports.GATEWAY_PORT}/health`, 90_000);
    firstAnswer = await postGraphQL(
      gatewayUrl,
      {
        query:
          '{ orders(first: 2) { nodes { number customer { name email } lines { product { name stock { available } } } } } }',
      },
      auth,
    );
    await stack.waitForLine(/Everything is up/, 30_000);
  });

  it('answers from the moment the gateway port opens: every system behind it is ready first', () => {
    expect(firstAnswer.body.errors).toBeUndefined();
  });

  afterAll(async () => {
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGKILL');
      await stack.exited;
    }
    rmSync(devKeysDir, { recursive: true, force: true });
  });

  it('prints the gateway URL and every service', () => {
    const text = stack.output.join('\n');
    expect(text).toContain(gatewayUrl);
    for (const port of Object.values(ports)) expect(text).toContain(`127.0.0.1:${port}`);
  });

  it.each(readmeExamples())(
    'answers the README example $name as recorded',
    async ({ name, query, anonymous }) => {
      const result = await postGraphQL(gatewayUrl, { query }, anonymous ? {} : auth);
      const expectsError = name === 'TooMany' || name === 'PublicCatalogue';
      expect(result.status).toBe(200);
      if (!expectsError) expect(result.body.errors).toBeUndefined();
      // Request ids differ on every run; everything else is seeded and exact.
      for (const error of result.body.errors ?? []) delete error.extensions?.requestId;
      await expect(`${JSON.stringify(result.body, null, 2)}\n`).toMatchFileSnapshot(
        `./smoke/${name}.json`,
      );
    },
  );

  it("runs the README's partner request: a key from `npm run apikey`, the committed operation by id", async () => {
    const text = readme();
    const keyArgs = /KEY=\$\(npm run -s apikey -- ([^)]*)\)/.exec(text)?.[1];
    const body = /-H "x-api-key: \$KEY" \\\n\s+-d '([^']*)'/.exec(text)?.[1];
    if (!keyArgs || !body) throw new Error('the README no longer shows the partner request');
    const key = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/apikey.ts', ...keyArgs.split(/\s+/)],
      { cwd: repoRoot, env: { ...process.env, DEV_KEYS_DIR: devKeysDir }, encoding: 'utf8' },
    ).trim();
    // The gateway re-reads the key file within a second.
    let result: GraphQLResult | undefined;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      result = await postGraphQL(gatewayUrl, JSON.parse(body), { 'x-api-key': key });
      if (result.status !== 401) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(result?.status).toBe(200);
    expect(result?.body.errors).toBeUndefined();
    expect(result?.body.data).toMatchObject({ product: { sku: 'SKU-10001' } });
  });

  it("serves the README's mobile product card", async () => {
    const path = /curl -s http:\/\/127\.0\.0\.1:4002(\/m\/v1\/products\/[\w-]+)/.exec(
      readme(),
    )?.[1];
    if (!path) throw new Error('the README no longer shows the mobile product card');
    const response = await fetch(`http://127.0.0.1:${ports.BFF_MOBILE_PORT}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Object.keys((await response.json()) as object).sort()).toEqual([
      'available',
      'inStock',
      'name',
      'price',
      'sku',
    ]);
  });

  it('stops every service on SIGTERM and exits 0', async () => {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    for (const port of Object.values(ports)) expect(await portIsClosed(Number(port))).toBe(true);
  });
});
