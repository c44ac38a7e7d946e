import { createHash } from 'node:crypto';

import { postGraphQL, roomyRateLimits, startStack, writeConsumerPolicyFile } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every operation limit through the real gateway, just under and just over
// its budget, in enforce and in measure mode; refused operations never reach
// a subgraph. The budgets below are small on purpose, so that ordinary
// operations sit on either side of them.

const limits = { tokens: 40, depth: 3, aliases: 2, rootFields: 2, directivesPerField: 1, cost: 30 };
const policy = {
  ...roomyRateLimits,
  authenticated: {
    ...roomyRateLimits.authenticated,
    limits,
    // A trusted document may cost more: it was reviewed when it was registered.
    persistedLimits: { cost: 100 },
  },
};

/** `{ products(first: 1) { nodes { sku … } } }`: 14 tokens, plus one per extra `sku`. */
const withTokens = (n: number) =>
  `{ products(first: 1) { nodes { sku${' sku'.repeat(n - 14)} } } }`;
/** `first: n` ProductConnection (1) + n Products (1 each): cost n + 1. */
const costing = (n: number) => `{ products(first: ${n - 1}) { nodes { sku } } }`;

/** Each limit: an operation just at its budget, one just over, and what is measured over. */
const cases = [
  {
    limit: 'tokens',
    code: 'MAX_TOKENS_EXCEEDED',
    under: withTokens(40),
    over: withTokens(41),
    measured: 41,
  },
  {
    limit: 'depth',
    code: 'MAX_DEPTH_EXCEEDED',
    under: '{ products(first: 1) { nodes { price { amount } } } }',
    over: '{ products(first: 1) { edges { node { price { amount } } } } }',
    measured: 4,
  },
  {
    limit: 'aliases',
    code: 'MAX_ALIASES_EXCEEDED',
    under: '{ products(first: 1) { nodes { a: sku b: sku } } }',
    over: '{ products(first: 1) { nodes { a: sku b: sku c: sku } } }',
    measured: 3,
  },
  {
    limit: 'rootFields',
    code: 'MAX_ROOT_FIELDS_EXCEEDED',
    under: '{ products(first: 1) { nodes { sku } } warehouses { id } }',
    over: '{ products(first: 1) { nodes { sku } } warehouses { id } product(sku: "X") { sku } }',
    measured: 3,
  },
  {
    limit: 'directivesPerField',
    code: 'MAX_DIRECTIVES_EXCEEDED',
    under: '{ products(first: 1) { nodes { sku @include(if: true) } } }',
    over: '{ products(first: 1) { nodes { sku @include(if: true) @skip(if: false) } } }',
    measured: 2,
  },
  {
    limit: 'cost',
    code: 'COST_ESTIMATED_TOO_EXPENSIVE',
    under: costing(30),
    over: costing(31),
    measured: 31,
  },
] as const;

describe('operation limits', () => {
  const lines: Record<string, unknown>[] = [];
  const policyFile = writeConsumerPolicyFile(policy);
  let stack: Stack;
  let measuring: { url: string };
  let user: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack({ gatewayEnv: { CONSUMER_POLICY_FILE: policyFile.path } });
    measuring = await stack.startGateway(
      { LIMITS_MODE: 'measure', LOG_LEVEL: 'info' },
      { logSink: { write: (line: string) => void lines.push(JSON.parse(line)) } },
    );
    user = await stack.credentials.bearer({ sub: 'limited-user' });
  });
  afterAll(async () => {
    await stack?.close();
    policyFile.dispose();
  });

  describe.each(cases)('$limit', ({ limit, code, under, over, measured }) => {
    it('just under its budget: runs', async () => {
      const result = await postGraphQL(stack.gatewayUrl, { query: under }, user);
      expect(result.status).toBe(200);
      expect(result.body.errors?.filter((e) => e.extensions?.code === code)).toBeUndefined();
      expect(result.body.data).toBeTruthy();
    });

    it('just over its budget: refused with its code, the limit and the measured value, before any subgraph', async () => {
      await stack.resetCounters();
      const result = await postGraphQL(stack.gatewayUrl, { query: over }, user);
      expect(result.status).toBe(400);
      expect(result.body.data).toBeUndefined();
      expect(result.body.errors).toEqual([
        {
          message: expect.stringContaining(
            `over the limit of ${limits[limit]} for authenticated callers`,
          ),
          extensions: {
            code,
            limit: limits[limit],
            measured,
            requestId: result.headers.get('x-request-id'),
          },
        },
      ]);
      expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
    });

    it('in measure mode: runs anyway, logged and counted', async () => {
      const result = await postGraphQL(measuring.url, { query: over }, user);
      expect(result.status).toBe(200);
      expect(result.body.data).toBeTruthy();
      const requestId = result.headers.get('x-request-id');
      expect(lines).toContainEqual(
        expect.objectContaining({
          requestId,
          limit,
          measured,
          budget: limits[limit],
          mode: 'measure',
        }),
      );
      const metrics = await (await fetch(new URL('/metrics', measuring.url))).text();
      expect(metrics).toMatch(
        new RegExp(
          `gateway_operation_limit_exceeded_total\\{limit="${limit}",mode="measure",consumer_class="authenticated",service="gateway"\\} [1-9]`,
        ),
      );
    });
  });

  it('a spread of an undefined fragment is a 400 validation error, not a crash', async () => {
    const result = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ products(first: 1) { nodes { ...Missing } } }' },
      user,
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("the limits are per class: the same operation is within an internal caller's budget", async () => {
    const result = await postGraphQL(stack.gatewayUrl, { query: cases[5].over }, stack.fullAccess);
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  it("a trusted document is measured against the class's persisted budget", async () => {
    const body = 'query PricedCatalogue { products(first: 60) { nodes { sku } } }';
    const id = createHash('sha256').update(body).digest('hex');
    const publish = await fetch(
      new URL('/admin/persisted-operations/limits-web', stack.gatewayUrl),
      {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          ...(await stack.credentials.bearer({
            sub: 'ops',
            class: 'internal',
            scopes: ['pq:publish'],
          })),
        },
        body: JSON.stringify({
          format: 'apollo-persisted-query-manifest',
          version: 1,
          operations: [{ id, name: 'PricedCatalogue', type: 'query', body }],
        }),
      },
    );
    expect(publish.status).toBe(200);
    const client = { ...user, 'apollographql-client-name': 'limits-web' };
    const byId = await postGraphQL(stack.gatewayUrl, { documentId: `sha256:${id}` }, client);
    expect(byId.status).toBe(200);
    expect(byId.body.errors).toBeUndefined();
    // The same text sent free-form is measured against the ordinary budget.
    const freeForm = await postGraphQL(stack.gatewayUrl, { query: body }, client);
    expect(freeForm.body.errors?.[0]?.extensions).toMatchObject({
      code: 'COST_ESTIMATED_TOO_EXPENSIVE',
      limit: 30,
      measured: 61,
    });
  });
});
