import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { createLogger, startHttpServer } from '@bff/core';
import type { RunningHttpServer } from '@bff/core';
import { TestCredentials } from '@bff/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import type { GatewayServer } from '../src/server.js';
import { composeSupergraph } from '../src/supergraph/composeSupergraph.js';
import { readSupergraphConfig } from '../src/supergraph/supergraphConfig.js';
import { sendJson, startFakeHttpServer } from './startFakeHttpServer.js';
import type { FakeHttpServer, RecordedRequest } from './startFakeHttpServer.js';

// The gateway in process, over real HTTP, in front of three fake subgraphs
// that answer canned JSON: no subgraph or upstream code runs here.

type Mode = 'answer' | 'fail';

interface FakeSubgraph {
  server: FakeHttpServer;
  mode: Mode;
  /** Canned response body by the exact query the gateway is expected to send. */
  canned: Record<string, unknown>;
}

const subgraphNames = ['erp', 'crm', 'inventory'] as const;
type SubgraphName = (typeof subgraphNames)[number];

const fakes = {} as Record<SubgraphName, FakeSubgraph>;
let gateway: GatewayServer;
let http: RunningHttpServer;
const maxBodyBytes = 4_096;
const credentials = new TestCredentials();
/** A signed-in user: customers and orders need one. */
let signedIn: Record<string, string>;

function answer(fake: FakeSubgraph, request: RecordedRequest, res: ServerResponse): void {
  if (fake.mode === 'fail') {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<html><body>Internal Server Error at /srv/internal/secret.js</body></html>');
    return;
  }
  const { query } = JSON.parse(request.body) as { query: string };
  if (query === '{ __typename }') {
    sendJson(res, 200, { data: { __typename: 'Query' } });
    return;
  }
  sendJson(res, 200, fake.canned[query] ?? { errors: [{ message: `unexpected query: ${query}` }] });
}

beforeAll(async () => {
  for (const name of subgraphNames) {
    const fake: FakeSubgraph = { mode: 'answer', canned: {}, server: undefined as never };
    fake.server = await startFakeHttpServer((request, res) => answer(fake, request, res));
    fakes[name] = fake;
  }
  fakes.crm.canned['{customer(id:"c-1"){id name}}'] = {
    data: { customer: { id: 'c-1', name: 'Ada' } },
  };
  fakes.crm.canned['{customer(id:"c-404"){id name}}'] = {
    data: { customer: null },
    errors: [
      { message: 'No customer c-404.', path: ['customer'], extensions: { code: 'NOT_FOUND' } },
    ],
  };
  fakes.erp.canned['{product(sku:"SKU-1"){sku name}}'] = {
    data: { product: { sku: 'SKU-1', name: 'Widget' } },
  };
  const warehouses = { data: { warehouses: [{ id: 'w-1', name: 'North' }] } };
  fakes.inventory.canned['{warehouses{id name}}'] = warehouses;
  // A named operation reaches the subgraph under a name the planner derives from it.
  fakes.inventory.canned['query A__inventory__0{warehouses{id name}}'] = warehouses;

  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MAX_BODY_BYTES: String(maxBodyBytes),
    SUBGRAPH_TIMEOUT_MS: '5000',
    SUBGRAPH_ERP_URL: `${fakes.erp.server.origin}/graphql`,
    SUBGRAPH_CRM_URL: `${fakes.crm.server.origin}/graphql`,
    SUBGRAPH_INVENTORY_URL: `${fakes.inventory.server.origin}/graphql`,
    ...credentials.gatewayEnv(),
  });
  signedIn = await credentials.bearer({ sub: 'ada' });
  const { supergraphSdl } = composeSupergraph(
    readSupergraphConfig(config.SUPERGRAPH_CONFIG),
    config.subgraphUrlOverrides,
  );
  gateway = await createServer(config, {
    logger: createLogger({ service: 'test', level: 'silent' }),
    supergraphSdl,
  });
  http = await startHttpServer(gateway.handler, { port: 0 });
});

afterEach(() => {
  for (const name of subgraphNames) {
    fakes[name].mode = 'answer';
    fakes[name].server.requests.length = 0;
  }
});

afterAll(async () => {
  await http?.close();
  await gateway?.stop();
  await Promise.all(subgraphNames.map((name) => fakes[name]?.server.close()));
  credentials.close();
});

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

interface Answer {
  status: number;
  requestId: string | null;
  body: GraphQLBody;
}

async function post(
  body: unknown,
  headers: Record<string, string> = {},
  path = '/graphql',
): Promise<Answer> {
  const response = await fetch(`${http.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedIn, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: JSON.parse(text) as GraphQLBody,
  };
}

/** Every error of the answer names the request id the response header carries. */
function expectRequestIdOnEveryError(answer: Answer): void {
  expect(answer.requestId).toBeTruthy();
  expect(answer.body.errors?.length).toBeGreaterThan(0);
  for (const error of answer.body.errors ?? [])
    expect(error.extensions?.requestId).toBe(answer.requestId);
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the gateway over HTTP', () => {
  it('answers a query that spans three subgraphs from their canned answers', async () => {
    const answer = await post({
      query:
        '{ customer(id: "c-1") { id name } product(sku: "SKU-1") { sku name } warehouses { id name } }',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: {
        customer: { id: 'c-1', name: 'Ada' },
        product: { sku: 'SKU-1', name: 'Widget' },
        warehouses: [{ id: 'w-1', name: 'North' }],
      },
    });
  });

  it('echoes the caller x-request-id and forwards it and traceparent to the subgraph', async () => {
    const requestId = `test-${randomBytes(6).toString('hex')}`;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const answer = await post(
      { query: '{ customer(id: "c-1") { id name } }' },
      { 'x-request-id': requestId, traceparent },
    );
    expect(answer.status).toBe(200);
    expect(answer.requestId).toBe(requestId);
    expect(fakes.crm.server.requests).toHaveLength(1);
    expect(fakes.crm.server.requests[0]?.headers['x-request-id']).toBe(requestId);
    expect(fakes.crm.server.requests[0]?.headers.traceparent).toBe(traceparent);
  });

  it('mints an x-request-id when the caller sends none, and forwards that one', async () => {
    const answer = await post({ query: '{ product(sku: "SKU-1") { sku name } }' });
    expect(answer.status).toBe(200);
    expect(answer.requestId).toMatch(uuid);
    expect(fakes.erp.server.requests[0]?.headers['x-request-id']).toBe(answer.requestId);
  });

  it('replaces a malformed x-request-id instead of echoing it', async () => {
    const answer = await post(
      { query: '{ warehouses { id name } }' },
      { 'x-request-id': 'not ok; injected=1' },
    );
    expect(answer.requestId).toMatch(uuid);
    expect(fakes.inventory.server.requests[0]?.headers['x-request-id']).toBe(answer.requestId);
  });

  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const answer = await post({ query: '{ customer(id: "c-1") { id ' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expectRequestIdOnEveryError(answer);
    expect(fakes.crm.server.requests).toHaveLength(0);
  });

  it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const answer = await post(
      { query: '{ customer(id: "c-1") { id shoeSize } }' },
      { 'x-request-id': 'validation-1' },
    );
    expect(answer.status).toBe(400);
    expect(answer.requestId).toBe('validation-1');
    expect(answer.body.errors?.[0]?.message).toBe(
      'Cannot query field "shoeSize" on type "Customer".',
    );
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectRequestIdOnEveryError(answer);
  });

  // Stock Apollo Server + @apollo/gateway answer both of these with HTTP 500
  // and INVALID_GRAPHQL (which formatError then masks as INTERNAL_SERVER_ERROR).
  it('answers an unknown operationName with 400 OPERATION_RESOLUTION_FAILURE, not 500', async () => {
    const answer = await post({
      query: 'query A { warehouses { id name } } query B { product(sku: "SKU-1") { sku name } }',
      operationName: 'C',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(answer.body.errors?.[0]?.message).toContain('"C"');
    expectRequestIdOnEveryError(answer);
    expect(fakes.inventory.server.requests).toHaveLength(0);
    expect(fakes.erp.server.requests).toHaveLength(0);
  });

  it('answers a multi-operation document without operationName with 400 OPERATION_RESOLUTION_FAILURE', async () => {
    const answer = await post({
      query: 'query A { warehouses { id name } } query B { product(sku: "SKU-1") { sku name } }',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expectRequestIdOnEveryError(answer);
  });

  it('runs the operation operationName picks from a multi-operation document', async () => {
    const answer = await post({
      query: 'query A { warehouses { id name } } query B { product(sku: "SKU-1") { sku name } }',
      operationName: 'A',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { warehouses: [{ id: 'w-1', name: 'North' }] } });
  });

  it('answers a body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE and a request id', async () => {
    const answer = await post(
      { query: `{ warehouses { id name } } # ${'x'.repeat(maxBodyBytes)}` },
      { 'x-request-id': 'too-large-1' },
    );
    expect(answer.status).toBe(413);
    expect(answer.requestId).toBe('too-large-1');
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]?.extensions).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      requestId: 'too-large-1',
    });
    expect(fakes.inventory.server.requests).toHaveLength(0);
  });

  it('serves the other subgraphs when one answers 500, with SUBGRAPH_UNAVAILABLE for its fields', async () => {
    fakes.crm.mode = 'fail';
    const answer = await post({
      query: '{ customer(id: "c-1") { id name } product(sku: "SKU-1") { sku name } }',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      customer: null,
      product: { sku: 'SKU-1', name: 'Widget' },
    });
    expect(answer.body.errors).toHaveLength(1);
    const [error] = answer.body.errors ?? [];
    expect(error?.extensions).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'crm',
      requestId: answer.requestId,
    });
    const printed = JSON.stringify(error);
    for (const leak of ['127.0.0.1', String(fakes.crm.server.port), 'secret.js', 'http://'])
      expect(printed).not.toContain(leak);
    expectRequestIdOnEveryError(answer);
  });

  it('passes on a subgraph error at its path, with its code, service and the request id', async () => {
    const answer = await post(
      { query: '{ customer(id: "c-404") { id name } product(sku: "SKU-1") { sku name } }' },
      { 'x-request-id': 'not-found-1' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: { customer: null, product: { sku: 'SKU-1', name: 'Widget' } },
      errors: [
        {
          message: 'No customer c-404.',
          path: ['customer'],
          extensions: { code: 'NOT_FOUND', serviceName: 'crm', requestId: 'not-found-1' },
        },
      ],
    });
  });

  it('is ready when every subgraph answers { __typename }', async () => {
    const response = await fetch(`${http.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { crm: 'ok', erp: 'ok', inventory: 'ok' },
    });
    for (const name of subgraphNames) {
      expect(fakes[name].server.requests).toHaveLength(1);
      expect(JSON.parse(fakes[name].server.requests[0]?.body ?? '')).toEqual({
        query: '{ __typename }',
      });
    }
  });

  it('is not ready, naming the subgraph, when one is down', async () => {
    fakes.inventory.mode = 'fail';
    const response = await fetch(`${http.url}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not_ready',
      checks: { crm: 'ok', erp: 'ok', inventory: 'answered HTTP 500' },
    });
  });

  it('is alive on /health', async () => {
    const response = await fetch(`${http.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
