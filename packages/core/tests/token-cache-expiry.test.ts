import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { ClientCredentialsTokenProvider } from '../src/rest/ClientCredentialsTokenProvider.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('ClientCredentialsTokenProvider cache', () => {
  let server: LocalServer;
  let provider: ClientCredentialsTokenProvider | undefined;
  let clock: number;
  let expiresIn: number | undefined;

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    expiresIn = 600;
    let issued = 0;
    server = await startLocalServer((_req, res) => {
      issued += 1;
      sendJson(res, 200, {
        access_token: `token-${issued}`,
        ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
      });
    });
  });
  afterEach(async () => {
    await provider?.close();
    await server.close();
    provider = undefined;
  });

  function create(refreshBeforeExpiryMs?: number) {
    provider = new ClientCredentialsTokenProvider({
      upstream: 'erp',
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'id',
      clientSecret: 'secret',
      refreshBeforeExpiryMs,
      logger,
      now: () => clock,
    });
    return provider;
  }

  it('reuses the token until refreshBeforeExpiryMs before it expires', async () => {
    const tokens = create(30_000);
    const start = clock;
    await expect(tokens.getToken()).resolves.toBe('token-1');

    clock = start + 600_000 - 30_000 - 1;
    await expect(tokens.getToken()).resolves.toBe('token-1');
    expect(server.requests).toHaveLength(1);

    clock = start + 600_000 - 30_000;
    await expect(tokens.getToken()).resolves.toBe('token-2');
    expect(server.requests).toHaveLength(2);

    // The new token is cached in turn.
    await expect(tokens.getToken()).resolves.toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('uses a 30 s margin by default', async () => {
    const tokens = create();
    const start = clock;
    await tokens.getToken();
    clock = start + 569_999;
    await expect(tokens.getToken()).resolves.toBe('token-1');
    clock = start + 570_000;
    await expect(tokens.getToken()).resolves.toBe('token-2');
  });

  it('assumes a 300 s lifetime when the endpoint gives no expires_in', async () => {
    expiresIn = undefined;
    const tokens = create(30_000);
    const start = clock;
    await tokens.getToken();
    clock = start + 269_999;
    await expect(tokens.getToken()).resolves.toBe('token-1');
    clock = start + 270_000;
    await expect(tokens.getToken()).resolves.toBe('token-2');
  });

  it('invalidate(token) forgets only a matching token', async () => {
    const tokens = create();
    await tokens.getToken();

    tokens.invalidate('token-0');
    tokens.invalidate('');
    await expect(tokens.getToken()).resolves.toBe('token-1');
    expect(server.requests).toHaveLength(1);

    tokens.invalidate('token-1');
    await expect(tokens.getToken()).resolves.toBe('token-2');
    expect(server.requests).toHaveLength(2);

    // A late invalidate of the old token does not throw away the new one.
    tokens.invalidate('token-1');
    await expect(tokens.getToken()).resolves.toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });
});
