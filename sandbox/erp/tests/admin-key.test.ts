import { ConfigError } from '@bff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config.js';
import { startErpSandbox } from './startErpSandbox.js';
import type { RunningErp } from './startErpSandbox.js';

const ADMIN_KEY = 'admin-key-for-tests-0123456789';

describe('sandbox admin API: SANDBOX_ADMIN_KEY', () => {
  let erp: RunningErp;
  beforeAll(async () => {
    erp = await startErpSandbox({ SANDBOX_ADMIN_KEY: ADMIN_KEY });
  });
  afterAll(async () => {
    await erp?.close();
  });

  const admin = (method: string, path: string, key?: string, body?: unknown) =>
    fetch(`${erp.url}/__admin${path}`, {
      method,
      headers: {
        ...(key !== undefined ? { 'x-admin-key': key } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it.each([
    ['GET', '/counters', undefined],
    ['DELETE', '/counters', undefined],
    ['GET', '/faults', 'wrong'],
    ['PUT', '/faults', `${ADMIN_KEY}x`],
    ['DELETE', '/faults', ''],
    ['POST', '/tokens/expire', ADMIN_KEY.slice(1)],
  ])('refuses %s %s with key %j: 401', async (method, path, key) => {
    const response = await admin(method, path, key, method === 'PUT' ? { status: 500 } : undefined);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'admin_key_required',
        message: 'x-admin-key is missing or wrong',
      },
    });
  });

  it('did not act on refused calls', async () => {
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(200);
  });

  it('accepts every admin call with the right key', async () => {
    expect((await admin('GET', '/counters', ADMIN_KEY)).status).toBe(200);
    expect((await admin('PUT', '/faults', ADMIN_KEY, { status: 418 })).status).toBe(200);
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(418);
    expect((await admin('DELETE', '/faults', ADMIN_KEY)).status).toBe(204);
    const expire = await admin('POST', '/tokens/expire', ADMIN_KEY);
    expect(expire.status).toBe(200);
    expect(await expire.json()).toEqual({ expired: 1 });
    expect((await erp.call('GET', '/orders?limit=1')).status).toBe(401);
  });

  it('does not ask API calls for the admin key', async () => {
    const token = await erp.token();
    const response = await erp.call('GET', '/products?limit=1', {
      auth: false,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });

  it('refuses an admin key shorter than 16 characters at start', () => {
    expect(() => loadConfig({ SANDBOX_ADMIN_KEY: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ SANDBOX_ADMIN_KEY: 'too-short' })).toThrow(
      'SANDBOX_ADMIN_KEY: must be at least 16 characters',
    );
  });
});
