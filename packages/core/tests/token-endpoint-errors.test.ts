import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { ClientCredentialsTokenProvider } from '../src/rest/ClientCredentialsTokenProvider.js';
import { UpstreamError } from '../src/rest/UpstreamError.js';
import { closedPort, sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalHandler, LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const secret = `secret-${Math.random().toString(36).slice(2)}`;

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected getToken to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('ClientCredentialsTokenProvider failures', () => {
  let server: LocalServer | undefined;
  let provider: ClientCredentialsTokenProvider | undefined;

  afterEach(async () => {
    await provider?.close();
    await server?.close();
    provider = undefined;
    server = undefined;
  });

  async function providerFor(handler: LocalHandler) {
    server = await startLocalServer(handler);
    provider = new ClientCredentialsTokenProvider({
      upstream: 'erp',
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: secret,
      timeoutMs: 2_000,
      logger,
    });
    return provider;
  }

  function expectUnavailable(error: UpstreamError) {
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe('Could not obtain credentials for the ERP system.');
    expect(error.extensions).toStrictEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'erp' });
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  }

  it.each([
    [401, { error: 'invalid_client' }],
    [500, { error: 'server_error' }],
    [200, { token_type: 'Bearer' }],
  ])('reports status %i (%j) as UPSTREAM_UNAVAILABLE', async (status, body) => {
    const tokens = await providerFor((_req, res) => sendJson(res, status, body));
    const error = await failureOf(tokens.getToken());
    expectUnavailable(error);
    expect(error.detail.status).toBe(status);
  });

  it('reports a non-JSON answer as UPSTREAM_UNAVAILABLE', async () => {
    const tokens = await providerFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    expectUnavailable(await failureOf(tokens.getToken()));
  });

  it('reports an unreachable endpoint as UPSTREAM_UNAVAILABLE', async () => {
    const port = await closedPort();
    provider = new ClientCredentialsTokenProvider({
      upstream: 'erp',
      tokenUrl: `http://127.0.0.1:${port}/oauth/token`,
      clientId: 'id',
      clientSecret: secret,
      logger,
    });
    const error = await failureOf(provider.getToken());
    expectUnavailable(error);
    expect(error.message).not.toContain(String(port));
  });

  it('fails every concurrent caller, then tries again on the next call', async () => {
    let fail = true;
    const tokens = await providerFor((_req, res) =>
      fail ? sendJson(res, 500, {}) : sendJson(res, 200, { access_token: 'fresh' }),
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(server?.requests).toHaveLength(1);

    fail = false;
    await expect(tokens.getToken()).resolves.toBe('fresh');
    expect(server?.requests).toHaveLength(2);
  });
});
