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
      { 'x-request-id': requestId },
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
    const minted = await postGraphQL(stack.gatewayUrl, { query: '{ warehouses { id } }' });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const unsafe of ['<script>alert(1)</script>', 'id with spaces', 'x'.repeat(200)]) {
      const hostile = await postGraphQL(
        stack.gatewayUrl,
        { query: '{ warehouses { id } }' },
        {
          'x-request-id': unsafe,
        },
      );
      expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('never logs credentials', async () => {
    await postGraphQL(
      stack.gatewayUrl,
      { query: '{ warehouses { id } }' },
      { authorization: 'Bearer secret-token-123' },
    );
    expect(JSON.stringify(lines)).not.toContain('secret-token-123');
    expect(JSON.stringify(lines)).not.toMatch(/subgraph-dev-secret/);
  });
});
