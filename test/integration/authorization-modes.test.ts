import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// AUTHORIZATION_MODE (filter, reject, dry-run), GUARDS=off, and mutations,
// each through a real gateway over the same subgraphs.

const CUSTOMERS = '{ customers(first: 2) { nodes { name email } } }';
const RECORD_ACTIVITY = /* GraphQL */ `
  mutation Record($input: RecordActivityInput!) {
    recordActivity(input: $input) {
      __typename
      subject
    }
  }
`;

type LogLine = Record<string, unknown>;

describe('authorization modes', () => {
  const lines: LogLine[] = [];
  const logSink = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  let stack: Stack;
  let alice: Record<string, string>;
  let customerId: string;
  beforeAll(async () => {
    stack = await startStack({ logLevel: 'info', logSink });
    alice = await stack.credentials.bearer({ sub: 'alice' });
    const seed = await postGraphQL<{ customers: { nodes: { id: string }[] } }>(
      stack.gatewayUrl,
      { query: '{ customers(first: 1) { nodes { id } } }' },
      stack.fullAccess,
    );
    customerId = seed.body.data?.customers.nodes[0]?.id as string;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const gatewayLines = (requestId: string | null, msg: string) =>
    lines.filter((l) => l.service === 'gateway' && l.requestId === requestId && l.msg === msg);

  describe('filter (the default)', () => {
    it('logs what was refused and what it required; the client sees only what', async () => {
      const result = await postGraphQL(stack.gatewayUrl, { query: CUSTOMERS }, alice);
      expect(result.body.errors?.map((e) => e.message)).toEqual([
        'The caller may not read Customer.email.',
        'The caller may not read Customer.email.',
      ]);
      const [logged] = gatewayLines(
        result.headers.get('x-request-id'),
        'authorization removed fields',
      );
      expect(logged).toMatchObject({
        consumer: 'alice',
        consumerClass: 'authenticated',
        mode: 'filter',
        refused: [
          {
            field: 'Customer.email',
            requires: { authenticated: false, scopeSets: [[['crm:pii']]] },
          },
        ],
      });
    });

    it('a mutation without its write scope: null, an error, and nothing written', async () => {
      await stack.resetCounters();
      const result = await postGraphQL(
        stack.gatewayUrl,
        {
          query: RECORD_ACTIVITY,
          variables: { input: { customerId, type: 'NOTE', subject: 'not allowed' } },
        },
        await stack.credentials.bearer({ sub: 'alice', scopes: ['crm:pii'] }),
      );
      expect(result.status).toBe(200);
      // recordActivity is non-null: the null reaches the data.
      expect(result.body.data).toBeNull();
      expect(result.body.errors).toMatchObject([
        {
          message: 'The caller may not read Mutation.recordActivity.',
          path: ['recordActivity'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
        },
      ]);
      expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
    });

    it('a mutation with its write scope is carried out', async () => {
      await stack.resetCounters();
      const result = await postGraphQL(
        stack.gatewayUrl,
        {
          query: RECORD_ACTIVITY,
          variables: { input: { customerId, type: 'NOTE', subject: 'called back' } },
        },
        await stack.credentials.bearer({
          sub: 'crm-sync',
          class: 'internal',
          scopes: ['crm:write'],
        }),
      );
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data).toEqual({
        recordActivity: { __typename: 'Note', subject: 'called back' },
      });
      expect((await stack.upstreamCalls({ excludeTokens: true })).crm).toBe(1);
    });
  });

  describe('reject', () => {
    let url: string;
    beforeAll(async () => {
      url = (await stack.startGateway({ AUTHORIZATION_MODE: 'reject' })).url;
    });

    it('refuses the whole operation with a 403 naming what was refused, and asks no subgraph', async () => {
      await stack.resetCounters();
      const result = await postGraphQL(url, { query: CUSTOMERS }, alice);
      expect(result.status).toBe(403);
      expect(result.body.data).toBeUndefined();
      expect(result.body.errors).toEqual([
        {
          message: 'The operation asks for fields the caller may not read: Customer.email.',
          extensions: {
            code: 'UNAUTHORIZED_FIELD_OR_TYPE',
            requestId: result.headers.get('x-request-id'),
          },
        },
      ]);
      expect((await stack.upstreamCalls({ excludeTokens: true })).total).toBe(0);
    });

    it('runs an operation the caller may read in full', async () => {
      const result = await postGraphQL(
        url,
        { query: '{ customers(first: 2) { nodes { name } } }' },
        alice,
      );
      expect(result.status).toBe(200);
      expect(result.body.errors).toBeUndefined();
    });
  });

  describe('dry-run', () => {
    let url: string;
    beforeAll(async () => {
      url = (await stack.startGateway({ AUTHORIZATION_MODE: 'dry-run' })).url;
    });

    it('logs what filter would remove and removes nothing; the subgraph still refuses it', async () => {
      const result = await postGraphQL(url, { query: CUSTOMERS }, alice);
      const [logged] = gatewayLines(
        result.headers.get('x-request-id'),
        'authorization would remove fields (dry run)',
      );
      expect(logged).toMatchObject({ mode: 'dry-run', refused: [{ field: 'Customer.email' }] });
      // The gateway let it through; the CRM subgraph, checking the forwarded
      // identity, did not: dry run never leaks data.
      expect(result.body.data).toMatchObject({
        customers: { nodes: [{ email: null }, { email: null }] },
      });
      expect(result.body.errors).toMatchObject([
        {
          path: ['customers', 'nodes', 0, 'email'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE', serviceName: 'crm' },
        },
        {
          path: ['customers', 'nodes', 1, 'email'],
          extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE', serviceName: 'crm' },
        },
      ]);
    });
  });

  describe('GUARDS=off', () => {
    it('skips the gateway check; the subgraphs still refuse protected fields', async () => {
      const { url } = await stack.startGateway({ GUARDS: 'off' });
      const anonymous = await postGraphQL(url, { query: CUSTOMERS });
      expect(anonymous.body.data).toBeNull();
      expect(anonymous.body.errors).toMatchObject([
        { path: ['customers'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } },
      ]);
      const signedIn = await postGraphQL(url, { query: CUSTOMERS }, alice);
      expect(signedIn.body.data).toMatchObject({
        customers: { nodes: [{ email: null }, { email: null }] },
      });
    });
  });
});
