import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  postGraphQL,
  repoRoot,
  roomyRateLimits,
  startStack,
  writeConsumerPolicyFile,
} from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Persisted operations through the real gateway: automatic persisted queries
// (APQ), trusted documents committed with the gateway and published at run
// time, the partner policy (registered operations only), the safelist modes
// of the other classes and of the product's own BFFs, and persisted queries
// over GET for a CDN.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifest = (...bodies: [name: string, body: string][]) => ({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: bodies.map(([name, body]) => ({ id: sha256(body), name, type: 'query', body })),
});

const STOCK = 'query WarehouseList { warehouses { id } }';
const CATALOGUE = 'query Catalogue($n: Int!) { products(first: $n) { nodes { sku name } } }';
const UNREGISTERED = 'query Unregistered { warehouses { id name } }';
const MOBILE_STOCK = 'query MobileStock { warehouses { id name } }';

describe('persisted operations', () => {
  const lines: Record<string, unknown>[] = [];
  const committedDir = mkdtempSync(join(tmpdir(), 'bff-manifests-'));
  // The partner "acme" has one operation committed with the gateway.
  writeFileSync(
    join(committedDir, 'acme.json'),
    JSON.stringify(manifest(['WarehouseList', STOCK])),
  );
  // bff-mobile's committed manifest: the only operations it may run.
  writeFileSync(
    join(committedDir, 'bff-mobile.json'),
    JSON.stringify(manifest(['MobileStock', MOBILE_STOCK])),
  );
  const policyFile = writeConsumerPolicyFile({
    ...roomyRateLimits,
    authenticated: { ...roomyRateLimits.authenticated, safelist: 'enforce' },
    internal: { ...roomyRateLimits.internal, safelist: 'log-unknown' },
  });
  let stack: Stack;
  let partner: Record<string, string>;
  let publisher: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack({
      logLevel: 'info',
      logSink: { write: (line: string) => void lines.push(JSON.parse(line)) },
      gatewayEnv: { PERSISTED_OPERATIONS_DIR: committedDir, CONSUMER_POLICY_FILE: policyFile.path },
    });
    partner = { 'x-api-key': stack.credentials.addApiKey('acme').key };
    publisher = await stack.credentials.bearer({
      sub: 'release-bot',
      class: 'internal',
      scopes: ['pq:publish'],
    });
    // The gateway re-reads the key file within a second.
    await vi.waitFor(
      async () => {
        const result = await postGraphQL(stack.gatewayUrl, { documentId: sha256(STOCK) }, partner);
        if (result.status !== 200)
          throw new Error(`partner key not in force yet: ${result.status}`);
      },
      { timeout: 5_000, interval: 100 },
    );
  });
  afterAll(async () => {
    await stack?.close();
    policyFile.dispose();
    rmSync(committedDir, { recursive: true, force: true });
  });

  const publish = (client: string, body: unknown, headers = publisher) =>
    fetch(new URL(`/admin/persisted-operations/${client}`, stack.gatewayUrl), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  describe('automatic persisted queries', () => {
    it('a hash it does not know is PERSISTED_QUERY_NOT_FOUND; sent with its query it is registered, then served by hash', async () => {
      const query = `{ products(first: 2) { nodes { sku } } } # ${Math.random()}`;
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      const miss = await postGraphQL(stack.gatewayUrl, { extensions });
      expect(miss.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const register = await postGraphQL(stack.gatewayUrl, { query, extensions });
      expect(register.body.errors).toBeUndefined();
      const hit = await postGraphQL(stack.gatewayUrl, { extensions });
      expect(hit.status).toBe(200);
      expect(hit.body).toEqual(register.body);
    });

    it('a query that does not match its hash is refused', async () => {
      const result = await postGraphQL(stack.gatewayUrl, {
        query: '{ warehouses { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } },
      });
      expect(result.status).toBe(400);
    });
  });

  describe('partners', () => {
    it('run a registered operation by its id (APQ extension or documentId)', async () => {
      for (const request of [
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(STOCK) } } },
        { documentId: `sha256:${sha256(STOCK)}` },
      ]) {
        const result = await postGraphQL(stack.gatewayUrl, request, partner);
        expect(result.status).toBe(200);
        expect(result.body.errors).toBeUndefined();
        expect(result.body.data).toMatchObject({ warehouses: expect.any(Array) });
      }
    });

    it('may not send free-form operations, not even the text of a registered one', async () => {
      for (const query of [UNREGISTERED, STOCK]) {
        await stack.resetCounters();
        const result = await postGraphQL(stack.gatewayUrl, { query }, partner);
        expect(result.status).toBe(403);
        expect(result.body.data).toBeUndefined();
        expect(result.body.errors?.[0]).toMatchObject({
          message: expect.stringContaining('Partners run only their registered operations'),
          extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' },
        });
        expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
      }
    });

    it('may not run by id what is registered only in APQ or for another client', async () => {
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(UNREGISTERED) } };
      await postGraphQL(stack.gatewayUrl, { query: UNREGISTERED, extensions }); // someone registers it in APQ
      const result = await postGraphQL(stack.gatewayUrl, { extensions }, partner);
      expect(result.status).toBe(403);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    });

    it('gain an operation published at run time, with no restart', async () => {
      const body = `query AcmeCatalogue { products(first: 3) { nodes { sku } } }`;
      const before = await postGraphQL(stack.gatewayUrl, { documentId: sha256(body) }, partner);
      expect(before.status).toBe(403);
      expect(before.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
      const response = await publish('acme', manifest(['AcmeCatalogue', body]));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ client: 'acme', operations: 1, added: 1 });
      const after = await postGraphQL(stack.gatewayUrl, { documentId: sha256(body) }, partner);
      expect(after.status).toBe(200);
      expect(after.body.data).toMatchObject({ products: { nodes: expect.any(Array) } });
    });
  });

  describe('publishing', () => {
    it('refuses a manifest with any bad operation, says why for each, and publishes none of it', async () => {
      const good = 'query Fine { warehouses { id } }';
      const bad = manifest(['Fine', good], ['Typo', 'query Typo { warehouse { id } }']);
      (bad.operations[0] as { id: string }).id = sha256('not the body');
      const response = await publish('acme-bad', bad);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; details: string[] } };
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.details).toEqual([
        expect.stringContaining('operations[0] (Fine).id: must be the SHA-256 of its body'),
        expect.stringContaining('operations[1] (Typo): does not validate against the graph'),
      ]);
      const result = await postGraphQL(
        stack.gatewayUrl,
        { documentId: sha256(good) },
        { 'apollographql-client-name': 'acme-bad' },
      );
      expect(result.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it('npm run pq:publish publishes a manifest file, and says why one is refused', async () => {
      const body = 'query CliCatalogue { products(first: 1) { nodes { sku } } }';
      const good = join(committedDir, 'cli-good.manifest');
      const bad = join(committedDir, 'cli-bad.manifest');
      writeFileSync(good, JSON.stringify(manifest(['CliCatalogue', body])));
      writeFileSync(bad, JSON.stringify(manifest(['Typo', 'query Typo { warehouse { id } }'])));
      const token = await stack.credentials.token({
        sub: 'release-bot',
        class: 'internal',
        scopes: ['pq:publish'],
      });
      // Asynchronously: the gateway answering it runs in this process.
      const run = (file: string) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            ['--conditions=source', '--import', 'tsx', 'scripts/pqPublish.ts'].concat([
              '--client',
              'cli-web',
              file,
              '--gateway',
              new URL(stack.gatewayUrl).origin,
            ]),
            { cwd: repoRoot, env: { ...process.env, GATEWAY_TOKEN: token } },
            (error, stdout, stderr) =>
              resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
          );
        });
      const published = await run(good);
      expect(published).toMatchObject({
        code: 0,
        stdout: 'published 1 operations for cli-web (1 new)\n',
      });
      const result = await postGraphQL(
        stack.gatewayUrl,
        { documentId: sha256(body) },
        { 'apollographql-client-name': 'cli-web' },
      );
      expect(result.body.errors).toBeUndefined();
      const refused = await run(bad);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /refused \(400 BAD_USER_INPUT\): The manifest was refused; nothing was published\./,
      );
      expect(refused.stderr).toMatch(
        /operations\[0\] \(Typo\): does not validate against the graph/,
      );
    });

    it('needs a token with pq:publish', async () => {
      const body = manifest(['WarehouseList', STOCK]);
      expect((await publish('acme', body, {})).status).toBe(401);
      const noScope = await stack.credentials.bearer({ sub: 'someone', class: 'internal' });
      const refused = await publish('acme', body, noScope);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    });
  });

  describe('safelist modes of the other classes', () => {
    it("enforce: a signed-in user runs the client's registered operations, by id or by identical text, and nothing else", async () => {
      expect((await publish('web', manifest(['Catalogue', CATALOGUE]))).status).toBe(200);
      const user = {
        ...(await stack.credentials.bearer({ sub: 'dana' })),
        'apollographql-client-name': 'web',
      };
      const byId = await postGraphQL(
        stack.gatewayUrl,
        { documentId: sha256(CATALOGUE), variables: { n: 2 } },
        user,
      );
      expect(byId.body.errors).toBeUndefined();
      const byText = await postGraphQL(
        stack.gatewayUrl,
        { query: CATALOGUE, variables: { n: 2 } },
        user,
      );
      expect(byText.body).toEqual(byId.body);
      const other = await postGraphQL(stack.gatewayUrl, { query: UNREGISTERED }, user);
      expect(other.status).toBe(403);
      expect(other.body.errors?.[0]).toMatchObject({
        message: 'The operation is not registered for client "web".',
        extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
      });
    });

    it('log-unknown: runs an unregistered operation and logs it', async () => {
      const result = await postGraphQL(
        stack.gatewayUrl,
        { query: UNREGISTERED },
        { ...stack.fullAccess, 'apollographql-client-name': 'ops-console' },
      );
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
      expect(lines).toContainEqual(
        expect.objectContaining({
          requestId: result.headers.get('x-request-id'),
          client: 'ops-console',
          operationName: 'Unregistered',
          msg: expect.stringContaining("not in the client's trusted documents"),
        }),
      );
    });

    it('off (the default for anonymous callers): free-form runs', async () => {
      const result = await postGraphQL(stack.gatewayUrl, { query: UNREGISTERED });
      expect(result.body.errors).toBeUndefined();
    });
  });

  describe("safelist of the product's own BFFs (enforce whatever the class)", () => {
    // Classes whose own mode lets free-form text run: log-unknown (internal,
    // in this file's policy) and off (anonymous).
    const callers = async (): Promise<Record<string, Record<string, string>>> => ({
      'a signed-in user': await stack.credentials.bearer({ sub: 'erin', class: 'internal' }),
      'an anonymous caller': {},
    });

    it('refuses free-form text sent as bff-mobile or bff-web, which the same caller may run as another client or none', async () => {
      for (const [who, headers] of Object.entries(await callers())) {
        for (const client of ['bff-mobile', 'bff-web']) {
          await stack.resetCounters();
          const refused = await postGraphQL(
            stack.gatewayUrl,
            { query: UNREGISTERED },
            { ...headers, 'apollographql-client-name': client },
          );
          expect(refused.status, `${who} as ${client}`).toBe(403);
          expect(refused.body.data).toBeUndefined();
          expect(refused.body.errors?.[0]).toMatchObject({
            message: `The operation is not registered for client "${client}", which may run only its registered operations.`,
            extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
          });
          expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
        }
        const others: Record<string, string>[] = [
          { 'apollographql-client-name': 'ops-console' },
          {},
        ];
        for (const other of others) {
          const ran = await postGraphQL(
            stack.gatewayUrl,
            { query: UNREGISTERED },
            { ...headers, ...other },
          );
          expect(ran.status, `${who} as ${JSON.stringify(other)}`).toBe(200);
          expect(ran.body.errors).toBeUndefined();
          expect(ran.body.data).toMatchObject({ warehouses: expect.any(Array) });
        }
      }
    });

    it("runs bff-mobile's registered documents, by id or by identical text", async () => {
      for (const [who, headers] of Object.entries(await callers())) {
        const mobile = { ...headers, 'apollographql-client-name': 'bff-mobile' };
        const byId = await postGraphQL(
          stack.gatewayUrl,
          { documentId: `sha256:${sha256(MOBILE_STOCK)}` },
          mobile,
        );
        expect(byId.status, who).toBe(200);
        expect(byId.body.errors).toBeUndefined();
        expect(byId.body.data).toMatchObject({ warehouses: expect.any(Array) });
        const byText = await postGraphQL(stack.gatewayUrl, { query: MOBILE_STOCK }, mobile);
        expect(byText.body).toEqual(byId.body);
      }
    });
  });

  describe('over GET', () => {
    const get = (params: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${stack.gatewayUrl}?${new URLSearchParams(params)}`, {
        // Apollo's CSRF prevention: a GET must carry a header no browser form can send.
        headers: { 'apollo-require-preflight': 'true', ...headers },
      });

    it('an anonymous persisted query is cacheable by a CDN', async () => {
      const response = await get(
        { documentId: sha256(STOCK) },
        { 'apollographql-client-name': 'acme' },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=60');
      expect(((await response.json()) as { data: unknown }).data).toMatchObject({
        warehouses: expect.any(Array),
      });
      const apq = await get({
        extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(STOCK) } }),
      });
      // Not in APQ yet, and anonymous has no "acme" manifest of its own: a miss, not cached.
      expect(
        ((await apq.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions
          .code,
      ).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(apq.headers.get('cache-control')).toBe('private, no-store');
    });

    it('a caller with credentials, or a free-form query, is never publicly cacheable', async () => {
      const partnerGet = await get({ documentId: sha256(STOCK) }, partner);
      expect(partnerGet.status).toBe(200);
      expect(partnerGet.headers.get('cache-control')).toBe('private, no-store');
      const freeForm = await get({ query: STOCK });
      expect(freeForm.status).toBe(200);
      expect(freeForm.headers.get('cache-control')).toBe('private, no-store');
    });
  });
});
