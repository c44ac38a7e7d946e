import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import type { RunningHttpServer } from '@bff/core';
import { deleteRedisKeys, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startWeb } from './startWeb.js';
import { WebBrowser } from './WebBrowser.js';

// bff-web's sessions through the whole stack: the web app signs in with its
// OIDC token, gets a signed HttpOnly cookie, and its /graphql requests reach
// the gateway as that user; the token never reaches the browser again.

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ordersQuery = { query: '{ orders(first: 1) { nodes { id } } }' };

describe('bff-web sessions', () => {
  let stack: Stack;
  let web: RunningHttpServer;
  beforeAll(async () => {
    stack = await startStack();
    web = await startWeb(stack.gatewayUrl);
  });
  afterAll(async () => {
    await web?.close();
    await stack?.close();
  });

  it('signs in with a token the gateway accepts: a signed, HttpOnly, SameSite=Lax cookie, and the token stays server-side', async () => {
    const browser = new WebBrowser(web.url);
    const token = await stack.credentials.token({ sub: 'mia', scopes: ['crm:pii', 'erp:read'] });
    const signIn = await browser.signIn(token);
    expect(signIn.status).toBe(201);
    const setCookie = [signIn.headers['set-cookie']].flat()[0] as string;
    // express-session signs the id: `s:<id>.<HMAC>`, URL-encoded.
    expect(setCookie).toMatch(/^bff-web\.sid=s%3A[\w-]+\.[\w%+/=-]+; /);
    const attributes = setCookie.split('; ').slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining([
        'Path=/',
        'HttpOnly',
        'SameSite=Lax',
        expect.stringMatching(/^Expires=/),
      ]),
    );
    expect(attributes).not.toContain('Secure');
    const session = signIn.json<{ session: Record<string, unknown> }>().session;
    expect(Object.keys(session).sort()).toEqual(['expiresAt', 'scopes', 'subject']);
    expect(session).toMatchObject({ subject: 'mia', scopes: ['crm:pii', 'erp:read'] });
    expect(signIn.raw.toString()).not.toContain(token);

    const me = await browser.get('/session');
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({ session });
  });

  it("passes the signed-in user's identity to the gateway; without a session the request is anonymous", async () => {
    const browser = new WebBrowser(web.url);
    const anonymous = await browser.graphql(ordersQuery);
    expect(
      anonymous.json<{ errors: { extensions: { code: string } }[] }>().errors[0]?.extensions.code,
    ).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    await browser.signIn(await stack.credentials.token({ sub: 'mia' }));
    const signedIn = await browser.graphql(ordersQuery);
    expect(signedIn.status).toBe(200);
    const body = signedIn.json<{ data: { orders: { nodes: unknown[] } }; errors?: unknown }>();
    expect(body.errors).toBeUndefined();
    expect(body.data.orders.nodes).toHaveLength(1);
  });

  it('refuses a token the gateway does not accept, a missing one, and an expired one, with 401 and no cookie', async () => {
    const browser = new WebBrowser(web.url);
    const forged = await stack.credentials.token({ sub: 'mia', secret: 'x'.repeat(43) });
    const expired = await stack.credentials.token({ sub: 'mia', expiresInSeconds: -600 });
    for (const answer of [
      await browser.signIn(forged),
      await browser.signIn(expired),
      await browser.send('POST', '/session'),
      await browser.send('POST', '/session', { authorization: 'Basic bWlhOnB3' }),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.headers['set-cookie']).toBeUndefined();
      const { error } = answer.json<{ error: Record<string, unknown> }>();
      expect(Object.keys(error).sort()).toEqual([
        'code',
        'details',
        'message',
        'request_id',
        'status',
      ]);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect(error.request_id).toBe(answer.headers['x-request-id']);
    }
    expect(browser.cookie).toBeUndefined();
  });

  it('treats a cookie whose signature does not verify as no session', async () => {
    const browser = new WebBrowser(web.url);
    await browser.signIn(await stack.credentials.token({ sub: 'mia' }));
    const [name, value] = (browser.cookie as string).split('=') as [string, string];
    // Same session id, signature of another key.
    browser.cookie = `${name}=${value.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')}`;
    expect((await browser.get('/session')).status).toBe(401);
    expect(
      (await browser.graphql(ordersQuery)).json<{ errors?: unknown[] }>().errors,
    ).toBeDefined();
  });

  it('signs out: the cookie is cleared and the old session id is worthless', async () => {
    const browser = new WebBrowser(web.url);
    await browser.signIn(await stack.credentials.token({ sub: 'mia' }));
    const oldCookie = browser.cookie;
    const signOut = await browser.send('DELETE', '/session');
    expect(signOut.status).toBe(204);
    expect([signOut.headers['set-cookie']].flat()[0]).toMatch(
      /^bff-web\.sid=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
    );
    browser.cookie = oldCookie;
    expect((await browser.get('/session')).status).toBe(401);
    // Signing out twice is not an error.
    expect((await browser.send('DELETE', '/session')).status).toBe(204);
  });

  it("ends the session when the user's token expires", async () => {
    const browser = new WebBrowser(web.url);
    await browser.signIn(await stack.credentials.token({ sub: 'mia', expiresInSeconds: 2 }));
    expect((await browser.get('/session')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect((await browser.get('/session')).status).toBe(401);
  });

  it('outside development: a Secure __Host- cookie, signed in only over HTTPS (here, a trusted proxy saying so)', async () => {
    const secureWeb = await startWeb(stack.gatewayUrl, {
      NODE_ENV: 'production',
      SESSION_SECRETS: randomBytes(32).toString('base64url'),
      TRUST_PROXY: 'true',
    });
    try {
      const browser = new WebBrowser(secureWeb.url);
      const token = await stack.credentials.token({ sub: 'mia' });
      const overHttp = await browser.signIn(token);
      expect(overHttp.status).toBe(400);
      expect(overHttp.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('HTTPS'),
      });
      const overHttps = await browser.signIn(token, { 'x-forwarded-proto': 'https' });
      expect(overHttps.status).toBe(201);
      const setCookie = [overHttps.headers['set-cookie']].flat()[0] as string;
      expect(setCookie).toMatch(/^__Host-bff-web\.sid=s%3A/);
      expect(setCookie.split('; ')).toEqual(
        expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']),
      );
    } finally {
      await secureWeb.close();
    }
  });
});

describe('bff-web sessions in Redis', () => {
  const prefix = `test:bff-web:${randomBytes(6).toString('hex')}:`;
  const oldKey = randomBytes(32).toString('base64url');
  const newKey = randomBytes(32).toString('base64url');
  let stack: Stack;
  let replicaA: RunningHttpServer;
  let replicaB: RunningHttpServer;
  beforeAll(async () => {
    stack = await startStack();
    const redis = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix };
    replicaA = await startWeb(stack.gatewayUrl, { ...redis, SESSION_SECRETS: oldKey });
    // B signs with a newer key and still verifies the old one: a key rotation in progress.
    replicaB = await startWeb(stack.gatewayUrl, {
      ...redis,
      SESSION_SECRETS: `${newKey},${oldKey}`,
    });
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    await stack?.close();
    await deleteRedisKeys(redisUrl, prefix);
  });

  it('a session opened on one replica is seen by another, lives no longer than its token, and a sign-out ends it everywhere', async () => {
    const onA = new WebBrowser(replicaA.url);
    expect(
      (await onA.signIn(await stack.credentials.token({ sub: 'mia', expiresInSeconds: 600 })))
        .status,
    ).toBe(201);
    const onB = new WebBrowser(replicaB.url);
    onB.cookie = onA.cookie;
    expect((await onB.get('/session')).json()).toMatchObject({ session: { subject: 'mia' } });
    expect((await onB.graphql(ordersQuery)).json<{ errors?: unknown }>().errors).toBeUndefined();

    const keys = execFileSync('redis-cli', [
      '-u',
      redisUrl,
      '--scan',
      '--pattern',
      `${prefix}session:*`,
    ])
      .toString()
      .split('\n')
      .filter(Boolean);
    expect(keys).toHaveLength(1);
    const ttl = Number(
      execFileSync('redis-cli', ['-u', redisUrl, 'TTL', keys[0] as string]).toString(),
    );
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);

    expect((await onB.send('DELETE', '/session')).status).toBe(204);
    expect((await onA.get('/session')).status).toBe(401);
  });
});
