import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { ClientCredentialsTokenProvider } from '../src/rest/ClientCredentialsTokenProvider.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('ClientCredentialsTokenProvider requests', () => {
  let server: LocalServer | undefined;
  let provider: ClientCredentialsTokenProvider | undefined;

  afterEach(async () => {
    await provider?.close();
    await server?.close();
    provider = undefined;
    server = undefined;
  });

  async function setUp(options: { clientId?: string; clientSecret?: string; scope?: string } = {}) {
    let issued = 0;
    server = await startLocalServer((_req, res) => {
      issued += 1;
      sendJson(res, 200, {
        access_token: `token-${issued}`,
        token_type: 'Bearer',
        expires_in: 600,
      });
    });
    provider = new ClientCredentialsTokenProvider({
      upstream: 'erp',
      tokenUrl: `${server.url}/oauth/token`,
      clientId: options.clientId ?? 'client-a',
      clientSecret: options.clientSecret ?? 'secret-a',
      scope: options.scope,
      logger,
    });
    return { server, provider };
  }

  it('serves 50 concurrent callers with one token request', async () => {
    const { server, provider } = await setUp();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken()));
    expect(server.requests).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    // And the next caller is served from the cache.
    await expect(provider.getToken()).resolves.toBe('token-1');
    expect(server.requests).toHaveLength(1);
  });

  it('posts grant_type=client_credentials as a form with HTTP Basic credentials', async () => {
    const { server, provider } = await setUp({ clientId: 'client-a', clientSecret: 'secret-a' });
    await provider.getToken();
    const request = server.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/oauth/token');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('client-a:secret-a').toString('base64')}`,
    );
    const form = new URLSearchParams(request?.body);
    expect([...form.entries()]).toEqual([['grant_type', 'client_credentials']]);
  });

  it('encodes credentials so that a colon in the id or secret survives', async () => {
    const clientId = 'svc:erp';
    const clientSecret = 'p@ss:wörd/%';
    const { server, provider } = await setUp({ clientId, clientSecret });
    await provider.getToken();
    const header = server.requests[0]?.headers.authorization ?? '';
    expect(header.startsWith('Basic ')).toBe(true);
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    const [id, secret, ...rest] = decoded.split(':');
    expect(rest).toEqual([]);
    expect(decodeURIComponent(id ?? '')).toBe(clientId);
    expect(decodeURIComponent(secret ?? '')).toBe(clientSecret);
  });

  it('sends the scope when one is configured', async () => {
    const { server, provider } = await setUp({ scope: 'orders:read stock:read' });
    await provider.getToken();
    const form = new URLSearchParams(server.requests[0]?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('orders:read stock:read');
  });
});
