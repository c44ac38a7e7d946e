import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { devInternalIdentitySecret } from '@bff/core';
import { devIssuer, devSigningKey, signToken } from '@bff/gateway/identity';
import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the gateway answers to requests that are not ordinary GraphQL: in
// production no introspection, no "Did you mean", no landing page; always
// CSRF prevention, no batches, and every rejection GraphQL-shaped JSON with a
// code, never an HTML page, a 500 or a stack trace.

describe('HTTP hygiene', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'bff-prod-keys-'));
  let stack: Stack;
  let production: { url: string };
  let productionUser: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack();
    const key = await devSigningKey(keysDir);
    const jwksFile = join(keysDir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify(key.jwks));
    production = await stack.startGateway({
      NODE_ENV: 'production',
      AUTH_HS256_SECRET: '',
      AUTH_JWKS_FILE: jwksFile,
      AUTH_ISSUER: devIssuer,
      // The subgraphs under test run with the development secret.
      INTERNAL_IDENTITY_SECRET: devInternalIdentitySecret,
    });
    productionUser = {
      authorization: `Bearer ${await signToken({ sub: 'ivy' }, { privateJwk: key.privateJwk })}`,
    };
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(keysDir, { recursive: true, force: true });
  });

  /** A raw request and its body, which must be GraphQL-shaped JSON with a code. */
  async function expectGraphQLError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    const body = (await response.json()) as {
      errors: { message: string; extensions: Record<string, unknown> }[];
    };
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) {
      expect(error.extensions.code).toBe(code);
      expect(error.extensions).not.toHaveProperty('stacktrace');
      expect(error.message.length).toBeGreaterThan(0);
    }
    return body;
  }

  describe('in production', () => {
    it('refuses introspection', async () => {
      const result = await postGraphQL(
        production.url,
        { query: '{ __schema { types { name } } }' },
        productionUser,
      );
      expect(result.status).toBe(400);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('masks field suggestions', async () => {
      const result = await postGraphQL(
        production.url,
        { query: '{ warehouse { id } }' },
        productionUser,
      );
      expect(result.status).toBe(400);
      expect(JSON.stringify(result.body)).not.toMatch(/Did you mean/);
      // Outside production the suggestion helps the developer.
      const dev = await postGraphQL(stack.gatewayUrl, { query: '{ productz { sku } }' });
      expect(dev.body.errors?.[0]?.message).toMatch(/Did you mean "product" or "products"\?/);
    });

    it('serves no landing page to a browser', async () => {
      const response = await fetch(production.url, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type')).not.toMatch(/html/);
      await expectGraphQLError(response, 400, 'BAD_REQUEST');
    });

    it('still serves ordinary operations', async () => {
      const result = await postGraphQL(
        production.url,
        { query: '{ warehouses { id } }' },
        productionUser,
      );
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
    });
  });

  describe('always', () => {
    const post = (body: string, contentType: string, headers: Record<string, string> = {}) =>
      fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': contentType, ...headers },
        body,
      });

    it('blocks a simple cross-site request (CSRF prevention)', async () => {
      const body = JSON.stringify({ query: '{ warehouses { id } }' });
      const response = await post(body, 'text/plain');
      const { errors } = await expectGraphQLError(response, 400, 'BAD_REQUEST');
      expect(errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
      const get = await fetch(
        `${stack.gatewayUrl}?query=${encodeURIComponent('{ warehouses { id } }')}`,
      );
      await expectGraphQLError(get, 400, 'BAD_REQUEST');
    });

    it('refuses batched requests', async () => {
      const one = { query: '{ warehouses { id } }' };
      await expectGraphQLError(
        await post(JSON.stringify([one, one]), 'application/json'),
        400,
        'BAD_REQUEST',
      );
    });

    it('answers malformed JSON and a wrong content type with a GraphQL-shaped 400', async () => {
      await expectGraphQLError(
        await post('{"query": "{ warehouses', 'application/json'),
        400,
        'BAD_REQUEST',
      );
      await expectGraphQLError(
        await post('<query>{ warehouses { id } }</query>', 'application/xml'),
        400,
        'BAD_REQUEST',
      );
      await expectGraphQLError(await post('', 'application/json'), 400, 'BAD_REQUEST');
      await expectGraphQLError(
        await post('"just a string"', 'application/json'),
        400,
        'BAD_REQUEST',
      );
    });

    it('answers a method it does not serve with a GraphQL-shaped 405', async () => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
      });
      await expectGraphQLError(response, 405, 'BAD_REQUEST');
    });

    it('never runs a mutation over GET', async () => {
      const query =
        'mutation { recordActivity(input: { customerId: "c1", type: NOTE, subject: "x" }) { id } }';
      const response = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`, {
        headers: { 'apollo-require-preflight': 'true', ...stack.fullAccess },
      });
      await expectGraphQLError(response, 405, 'BAD_REQUEST');
    });
  });
});
