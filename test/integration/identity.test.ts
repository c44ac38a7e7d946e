import { writeFileSync } from 'node:fs';

import { byDocumentId, postGraphQL, startStack, writeCommittedManifests } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Who is calling, through the real gateway: bearer tokens, partner API keys,
// or nothing. Credentials that are sent but wrong are a 401, never anonymous.

const WHO_CAN_SEE = '{ customers(first: 1) { nodes { name email } } }';

describe('identity at the gateway', () => {
  const lines: Record<string, unknown>[] = [];
  // Partners run only registered operations: theirs is committed with the gateway.
  const manifests = writeCommittedManifests({
    acme: [WHO_CAN_SEE],
    'steady-partner': [WHO_CAN_SEE],
  });
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      gatewayEnv: { PERSISTED_OPERATIONS_DIR: manifests.dir },
      logLevel: 'info',
      logSink: {
        write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    manifests.dispose();
  });

  const post = (headers: Record<string, string>, query = WHO_CAN_SEE) =>
    postGraphQL<{ customers: { nodes: { name: string; email: string | null }[] } }>(
      stack.gatewayUrl,
      { query },
      headers,
    );

  /** A partner's request: its registered operation, by id. */
  const postAsPartner = (headers: Record<string, string>) =>
    postGraphQL<{ customers: { nodes: { name: string; email: string | null }[] } }>(
      stack.gatewayUrl,
      byDocumentId(WHO_CAN_SEE),
      headers,
    );

  /** A 401 that names what was wrong, and no data. */
  async function expectRefused(headers: Record<string, string>, message: string): Promise<void> {
    await stack.resetCounters();
    const result = await post(headers);
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toEqual([
      {
        message,
        extensions: { code: 'UNAUTHENTICATED', requestId: result.headers.get('x-request-id') },
      },
    ]);
    // Refused before planning: nothing behind the gateway was asked.
    expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
  }

  it('no credentials: anonymous, served public data only', async () => {
    const result = await post({}, '{ warehouses { id } }');
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  it('a valid bearer token: its subject, class and scopes', async () => {
    const result = await post(
      await stack.credentials.bearer({ sub: 'carol', scopes: ['crm:pii'] }),
    );
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.customers.nodes[0]?.email).toMatch(/@/);
    const access = lines.find(
      (l) =>
        l.service === 'gateway' &&
        l.msg === 'request completed' &&
        l.requestId === result.headers.get('x-request-id'),
    );
    expect(access).toMatchObject({ consumer: 'carol', consumerClass: 'authenticated' });
  });

  it('a token signed with another key is refused', async () => {
    await expectRefused(
      await stack.credentials.bearer({ secret: 'another-secret-of-at-least-32-characters' }),
      'The bearer token signature does not verify.',
    );
  });

  it('an expired token is refused, beyond the clock skew', async () => {
    await expectRefused(
      await stack.credentials.bearer({ expiresInSeconds: -120 }),
      'The bearer token has expired.',
    );
  });

  it('a token expired by less than the clock skew (30 s) is still accepted', async () => {
    const result = await post(await stack.credentials.bearer({ expiresInSeconds: -10 }));
    expect(result.status).toBe(200);
  });

  it('a token from another issuer is refused', async () => {
    await expectRefused(
      await stack.credentials.bearer({ issuer: 'https://someone-else.example.com/' }),
      'The bearer token is not valid for this API.',
    );
  });

  it('a token naming a consumer class that does not exist is refused', async () => {
    await expectRefused(
      await stack.credentials.bearer({ class: 'root' as never }),
      'The bearer token names an unknown consumer class.',
    );
  });

  it.each([
    ['Basic YWxpY2U6c2VjcmV0', 'The Authorization header must be "Bearer <token>".'],
    ['Bearer', 'The Authorization header must be "Bearer <token>".'],
    ['Bearer not-a-jwt', 'The bearer token is not valid.'],
  ])('Authorization: %j is refused', async (authorization, message) => {
    await expectRefused({ authorization }, message);
  });

  it('a bearer token and an API key together are refused', async () => {
    const { key } = stack.credentials.addApiKey('both-partner');
    await expectRefused(
      { ...(await stack.credentials.bearer()), 'x-api-key': key },
      'Send one credential: a bearer token or an API key, not both.',
    );
  });

  it('an unknown API key is refused', async () => {
    await expectRefused(
      { 'x-api-key': 'bff_not-a-key-anyone-was-given' },
      'The API key is not valid.',
    );
  });

  it('a partner API key: the partner and its scopes; revoked without a restart', async () => {
    const { id, key } = stack.credentials.addApiKey('acme', ['crm:pii']);
    const accepted = await waitFor(
      () => postAsPartner({ 'x-api-key': key }),
      (r) => r.status === 200,
    );
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data?.customers.nodes[0]?.email).toMatch(/@/);
    const access = lines.find(
      (l) =>
        l.service === 'gateway' &&
        l.msg === 'request completed' &&
        l.requestId === accepted.headers.get('x-request-id'),
    );
    expect(access).toMatchObject({ consumer: 'acme', consumerClass: 'partner' });

    stack.credentials.revokeApiKey(id);
    const refused = await waitFor(
      () => postAsPartner({ 'x-api-key': key }),
      (r) => r.status === 401,
    );
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'The API key has been revoked.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('a key file that no longer parses keeps the keys in force, and says so in the log', async () => {
    const { key } = stack.credentials.addApiKey('steady-partner');
    await waitFor(
      () => postAsPartner({ 'x-api-key': key }),
      (r) => r.status === 200,
    );
    writeFileSync(stack.credentials.apiKeysFile, '{ "keys": [ half-written');
    await waitFor(
      async () =>
        lines.filter((l) => l.msg === 'API key file not reloaded: keeping the previous keys'),
      (found) => found.length > 0,
    );
    expect((await postAsPartner({ 'x-api-key': key })).status).toBe(200);
  });
});

/** Polls `attempt` until `done` holds: the gateway re-reads the API key file about once a second. */
async function waitFor<T>(attempt: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 6_000;
  for (;;) {
    const value = await attempt();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error('timed out waiting for the gateway to notice the change');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
