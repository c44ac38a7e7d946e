import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { ClientCredentialsTokenProvider } from '../src/rest/ClientCredentialsTokenProvider.js';
import type { TokenProvider } from '../src/rest/ClientCredentialsTokenProvider.js';
import { RestClient } from '../src/rest/RestClient.js';
import { UpstreamError } from '../src/rest/UpstreamError.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });

/** Hands out token-1, token-2, … and records what it was asked. */
class CountingTokenProvider implements TokenProvider {
  issued = 0;
  current: string | undefined;
  readonly invalidated: string[] = [];

  async getToken(): Promise<string> {
    if (this.current === undefined) {
      this.issued += 1;
      this.current = `token-${this.issued}`;
    }
    return this.current;
  }

  invalidate(token: string): void {
    this.invalidated.push(token);
    if (token === this.current) this.current = undefined;
  }
}

describe('RestClient with a token provider', () => {
  let server: LocalServer | undefined;
  let client: RestClient | undefined;
  let provider: ClientCredentialsTokenProvider | undefined;

  afterEach(async () => {
    await client?.close();
    await provider?.close();
    await server?.close();
    client = undefined;
    provider = undefined;
    server = undefined;
  });

  it('sends the token as a bearer credential', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 200, { ok: true }));
    const tokens = new CountingTokenProvider();
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      tokenProvider: tokens,
      logger,
    });
    await client.request({ path: '/orders' });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer token-1');
    expect(tokens.invalidated).toEqual([]);
  });

  it('on a 401 invalidates the token, fetches a new one and retries exactly once', async () => {
    server = await startLocalServer((req, res) =>
      req.headers.authorization === 'Bearer token-1'
        ? sendJson(res, 401, { error: 'token expired' })
        : sendJson(res, 200, { id: 'O-1' }),
    );
    const tokens = new CountingTokenProvider();
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      tokenProvider: tokens,
      logger,
    });
    await expect(
      client.request({ method: 'POST', path: '/orders', body: { sku: 'A' }, idempotencyKey: 'k1' }),
    ).resolves.toEqual({ id: 'O-1' });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(tokens.invalidated).toEqual(['token-1']);
    // The retry is the same request.
    expect(server.requests[1]?.method).toBe('POST');
    expect(server.requests[1]?.headers['idempotency-key']).toBe('k1');
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
  });

  it('surfaces a second 401 as UPSTREAM_UNAVAILABLE without retrying again', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 401, { error: 'revoked' }));
    const tokens = new CountingTokenProvider();
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      tokenProvider: tokens,
      logger,
    });
    const error: unknown = await client.request({ path: '/orders' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
    expect((error as UpstreamError).extensions).toStrictEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'erp',
    });
    expect(server.requests).toHaveLength(2);
    expect(tokens.issued).toBe(2);
    expect(tokens.invalidated).toEqual(['token-1']);
  });

  it('does not retry other failures', async () => {
    server = await startLocalServer((_req, res) => sendJson(res, 403, {}));
    const tokens = new CountingTokenProvider();
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      tokenProvider: tokens,
      logger,
    });
    await expect(client.request({ path: '/orders' })).rejects.toBeInstanceOf(UpstreamError);
    expect(server.requests).toHaveLength(1);
    expect(tokens.invalidated).toEqual([]);
  });

  it('refreshes a revoked token from a real client-credentials endpoint', async () => {
    let issued = 0;
    let valid = '';
    server = await startLocalServer((req, res) => {
      if (req.url === '/oauth/token') {
        issued += 1;
        valid = `live-${issued}`;
        sendJson(res, 200, { access_token: valid, expires_in: 3600 });
      } else if (req.headers.authorization === `Bearer ${valid}`) {
        sendJson(res, 200, { ok: issued });
      } else {
        sendJson(res, 401, {});
      }
    });
    provider = new ClientCredentialsTokenProvider({
      upstream: 'erp',
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: 'secret',
      logger,
    });
    client = new RestClient({
      upstream: 'erp',
      baseUrl: server.url,
      tokenProvider: provider,
      logger,
    });
    await expect(client.request({ path: '/orders' })).resolves.toEqual({ ok: 1 });
    valid = 'revoked-by-upstream';
    await expect(client.request({ path: '/orders' })).resolves.toEqual({ ok: 2 });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/oauth/token',
      '/orders',
      '/orders',
      '/oauth/token',
      '/orders',
    ]);
  });
});
