import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLIENT_ID, CLIENT_SECRET, startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('ERP sandbox: OAuth2 client credentials', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox({ SANDBOX_TOKEN_TTL_SECONDS: '120' });
  });
  afterAll(async () => {
    await erp?.close();
  });

  function postToken(body: string, headers: Record<string, string> = {}) {
    return fetch(`${erp.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  }

  it('refuses an API call without a token: 401 with WWW-Authenticate, in the ERP error format', async () => {
    const response = await erp.call('GET', '/orders', { auth: false });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="missing bearer token"',
    );
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'invalid_token',
        message: 'missing bearer token',
      },
    });
  });

  it('refuses a token it never issued', async () => {
    const response = await erp.call('GET', '/products', {
      auth: false,
      headers: { authorization: 'Bearer made-up-token' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error_description="unknown token"');
  });

  it('issues a token for HTTP Basic credentials, with the configured lifetime', async () => {
    const response = await postToken('grant_type=client_credentials', {
      authorization: basic(CLIENT_ID, CLIENT_SECRET),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      token_type: 'Bearer',
      expires_in: 120,
    });
    const api = await erp.call('GET', '/products?limit=1', {
      auth: false,
      headers: { authorization: `Bearer ${body.access_token as string}` },
    });
    expect(api.status).toBe(200);
  });

  it('issues a token for client_id and client_secret in the form body', async () => {
    const response = await postToken(
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
    );
    expect(response.status).toBe(200);
    const { access_token } = (await response.json()) as { access_token: string };
    const api = await erp.call('GET', '/clients?limit=1', {
      auth: false,
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(api.status).toBe(200);
  });

  it.each([
    ['a wrong secret (Basic)', 'grant_type=client_credentials', basic(CLIENT_ID, 'wrong')],
    ['an unknown client (Basic)', 'grant_type=client_credentials', basic('nobody', CLIENT_SECRET)],
    [
      'a wrong secret (form)',
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=wrong`,
      undefined,
    ],
    ['no credentials at all', 'grant_type=client_credentials', undefined],
  ])('refuses %s: 401 invalid_client', async (_name, body, authorization) => {
    const response = await postToken(body, authorization ? { authorization } : {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="token"');
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'unknown client or wrong secret',
    });
  });

  it.each([['grant_type=password'], ['grant_type='], ['']])(
    'refuses %j: 400 unsupported_grant_type',
    async (body) => {
      const response = await postToken(body, { authorization: basic(CLIENT_ID, CLIENT_SECRET) });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'unsupported_grant_type',
        error_description: 'only grant_type=client_credentials is supported',
      });
    },
  );

  it('refuses a token expired through the admin API, and accepts a new one', async () => {
    const token = await erp.token();
    const headers = { authorization: `Bearer ${token}` };
    expect((await erp.call('GET', '/orders?limit=1', { auth: false, headers })).status).toBe(200);

    const expire = await fetch(`${erp.url}/__admin/tokens/expire`, { method: 'POST' });
    expect(expire.status).toBe(200);
    const { expired } = (await expire.json()) as { expired: number };
    expect(expired).toBeGreaterThanOrEqual(1);

    const refused = await erp.call('GET', '/orders?limit=1', { auth: false, headers });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="token expired"',
    );
    expect(await refused.json()).toEqual({
      error: { type: 'invalid_request_error', code: 'invalid_token', message: 'token expired' },
    });

    const fresh = await erp.token();
    const again = await erp.call('GET', '/orders?limit=1', {
      auth: false,
      headers: { authorization: `Bearer ${fresh}` },
    });
    expect(again.status).toBe(200);
  });

  it('leaves /health open', async () => {
    const response = await fetch(`${erp.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
