import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
