import { postGraphQL, startBff, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Line = Record<string, unknown>;

/** The access line `service` wrote for the request, once it is written (after the response). */
async function accessLine(lines: Line[], service: string, requestId: string): Promise<Line> {
  const find = () =>
    lines.find(
      (l) => l.service === service && l.requestId === requestId && l.msg === 'request completed',
    );
  for (let i = 0; i < 200 && !find(); i++) await new Promise((r) => setTimeout(r, 5));
  const line = find();
  if (!line) throw new Error(`no access line of ${service} for ${requestId}`);
  return line;
}

describe('one request id from the client to every upstream', () => {
  const lines: Record<string, unknown>[] = [];
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      logLevel: 'info',
      logSink: {
        write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is echoed to the client and appears in the logs of the gateway, every subgraph and every sandbox', async () => {
    const requestId = `trace-${Math.random().toString(36).slice(2)}`;
    const result = await postGraphQL(
      stack.gatewayUrl,
      {
        query:
          '{ orders(first: 2) { nodes { customer { name } lines { product { name stock { available } } } } } }',
      },
      { ...stack.fullAccess, 'x-request-id': requestId },
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.headers.get('x-request-id')).toBe(requestId);

    const services = new Set(lines.filter((l) => l.requestId === requestId).map((l) => l.service));
    expect([...services].sort()).toEqual([
      'gateway',
      'sandbox-crm',
      'sandbox-erp',
      'sandbox-inventory',
      'subgraph-crm',
      'subgraph-erp',
      'subgraph-inventory',
    ]);
  });

  it('is minted when the client sends none, or sends one that is not safe to log', async () => {
    const minted = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ warehouses { id } }' },
      stack.fullAccess,
    );
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const unsafe of ['<script>alert(1)</script>', 'id with spaces', 'x'.repeat(200)]) {
      const hostile = await postGraphQL(
        stack.gatewayUrl,
        { query: '{ warehouses { id } }' },
        { ...stack.fullAccess, 'x-request-id': unsafe },
      );
      expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('gives each access line who called, which operation, its cost, outcome and duration', async () => {
    const requestId = `fields-${Math.random().toString(36).slice(2)}`;
    const headers = {
      ...stack.fullAccess,
      'x-request-id': requestId,
      'apollographql-client-name': 'ops-console',
      'apollographql-client-version': '4.2.0',
    };
    const ok = await postGraphQL(
      stack.gatewayUrl,
      { query: 'query OrdersForLog { orders(first: 2) { nodes { customer { name } } } }' },
      headers,
    );
    expect(ok.body.errors).toBeUndefined();
    const gateway = await accessLine(lines, 'gateway', requestId);
    expect(gateway).toMatchObject({
      clientName: 'ops-console',
      clientVersion: '4.2.0',
      consumer: 'integration-test',
      consumerClass: 'internal',
      operationName: 'OrdersForLog',
      operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      cost: expect.any(Number),
      status: 200,
      durationMs: expect.any(Number),
      req: { method: 'POST', url: '/graphql' },
    });
    expect(gateway).not.toHaveProperty('errorCodes');
    // Each subgraph fetch is an operation of the query plan, named after the client's.
    const crm = await accessLine(lines, 'subgraph-crm', requestId);
    expect(crm).toMatchObject({
      operationName: expect.stringMatching(/^OrdersForLog__crm__\d+$/),
      operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      consumer: 'integration-test',
      consumerClass: 'internal',
      status: 200,
    });
    const sandbox = await accessLine(lines, 'sandbox-erp', requestId);
    expect(sandbox).toMatchObject({ route: expect.any(String), status: 200 });

    const failedId = `${requestId}-failed`;
    await postGraphQL(
      stack.gatewayUrl,
      { query: 'query Broken { nope } query Other { alsoNope }', operationName: 'Broken' },
      { ...headers, 'x-request-id': failedId },
    );
    expect(await accessLine(lines, 'gateway', failedId)).toMatchObject({
      operationName: 'Broken',
      status: 400,
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
  });

  it('logs a BFF screen with the request id of the gateway request it made', async () => {
    const bff = await startBff(
      'bff-web',
      stack.gatewayUrl,
      {},
      { logSink: { write: (line: string) => void lines.push(JSON.parse(line) as Line) } },
    );
    try {
      const token = await stack.credentials.token({ sub: 'log-reader' });
      const signIn = await fetch(`${bff.url}/session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(signIn.status).toBe(201);
      const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
      const requestId = `bff-${Math.random().toString(36).slice(2)}`;
      const screen = await fetch(`${bff.url}/pages/products?search=chair`, {
        headers: { cookie, 'x-request-id': requestId, 'user-agent': 'web-app/7.1 (test)' },
      });
      expect(screen.status).toBe(200);
      expect(await accessLine(lines, 'bff-web', requestId)).toMatchObject({
        clientName: 'bff-web',
        userAgent: 'web-app/7.1 (test)',
        consumer: 'log-reader',
        route: '/pages/products',
        status: 200,
      });
      expect(await accessLine(lines, 'gateway', requestId)).toMatchObject({
        clientName: 'bff-web',
        consumer: 'log-reader',
        operationName: 'ProductSearch',
      });

      const malformedId = `${requestId}-malformed`;
      const malformed = await fetch(`${bff.url}/pages/orders/not%20an%20id`, {
        headers: { cookie, 'x-request-id': malformedId },
      });
      expect(malformed.status).toBe(400);
      expect(await accessLine(lines, 'bff-web', malformedId)).toMatchObject({
        route: '/pages/orders/:id',
        status: 400,
        errorCodes: ['BAD_USER_INPUT'],
      });
    } finally {
      await bff.close();
    }
  });

  it('never logs credentials: bearer tokens, API keys, forwarded identities', async () => {
    const token = await stack.credentials.token({ sub: 'log-check', scopes: ['crm:pii'] });
    const { key } = stack.credentials.addApiKey('log-check-partner');
    const accepted = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ customers(first: 1) { nodes { email } } }' },
      { authorization: `Bearer ${token}` },
    );
    expect(accepted.body.errors).toBeUndefined();
    const refused = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ warehouses { id } }' },
      { authorization: 'Bearer secret-token-123' },
    );
    expect(refused.status).toBe(401);
    await postGraphQL(stack.gatewayUrl, { query: '{ warehouses { id } }' }, { 'x-api-key': key });
    const logged = JSON.stringify(lines);
    expect(logged).toContain('log-check');
    for (const secret of [token, 'secret-token-123', key, stack.credentials.hs256Secret]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/subgraph-dev-secret/);
    expect(logged).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT of any kind, forwarded ones included
  });
});
