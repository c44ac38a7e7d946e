import type { ServerResponse } from 'node:http';

// The enum is declared in @apollo/gateway's types but not re-exported from its
// root (2.14), so it comes from the module that defines it.
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { anonymousConsumer, createLogger } from '@bff/core';
import type { Logger } from '@bff/core';
import { GraphQLError } from 'graphql';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { SubgraphDataSource } from '../src/subgraphs/SubgraphDataSource.js';
import { sendJson, startFakeHttpServer } from './startFakeHttpServer.js';
import type { FakeHttpServer, RecordedRequest } from './startFakeHttpServer.js';

const silent = createLogger({ service: 'test', level: 'silent' });
const query = 'query Product($sku: ID!) { product(sku: $sku) { sku name } }';
const variables = { sku: 'SKU-1' };

/** What the fake subgraph does with the next request; each test sets its own. */
let respond: (request: RecordedRequest, res: ServerResponse) => void;
let subgraph: FakeHttpServer;
let agent: Agent;

beforeAll(async () => {
  subgraph = await startFakeHttpServer((request, res) => respond(request, res));
  agent = new Agent({ keepAliveTimeout: 1_000 });
});

afterEach(() => {
  subgraph.requests.length = 0;
});

afterAll(async () => {
  await agent.close();
  await subgraph.close();
});

function dataSource(options: { url?: string; timeoutMs?: number; logger?: Logger } = {}) {
  return new SubgraphDataSource({
    name: 'erp',
    url: options.url ?? `${subgraph.origin}/graphql`,
    dispatcher: agent,
    timeoutMs: options.timeoutMs ?? 5_000,
    logger: options.logger ?? silent,
  });
}

function send(
  source: SubgraphDataSource,
  context: { requestId: string; traceparent?: string; logger?: Logger; identityToken?: string } = {
    requestId: 'req-1',
  },
) {
  return source.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: {
      query,
      variables,
      operationName: 'Product',
      http: { method: 'POST', url: 'http://gateway.test/graphql', headers: new Headers() },
    },
    context: {
      logger: silent,
      consumer: anonymousConsumer,
      identityToken: '',
      guards: { client: undefined, rateLimitKey: 'test', trusted: false, refused: false },
      ...context,
    },
    incomingRequestContext: {} as never,
  });
}

/** The error `run` rejects with, which must be a GraphQLError. */
async function failureOf(run: Promise<unknown>): Promise<GraphQLError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  return error as GraphQLError;
}

describe('SubgraphDataSource', () => {
  it('returns a 200 GraphQL response as is, data and errors', async () => {
    const body = {
      data: { product: { sku: 'SKU-1', name: null } },
      errors: [{ message: 'name unavailable', path: ['product', 'name'] }],
      extensions: { cost: 3 },
    };
    respond = (_request, res) => sendJson(res, 200, body);
    expect(await send(dataSource())).toEqual(body);
  });

  it('POSTs query, variables and operationName as JSON to the subgraph path', async () => {
    respond = (_request, res) => sendJson(res, 200, { data: { product: null } });
    await send(dataSource({ url: `${subgraph.origin}/sub/graphql?v=2` }));
    expect(subgraph.requests).toHaveLength(1);
    const [request] = subgraph.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/sub/graphql?v=2');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      query,
      variables,
      operationName: 'Product',
    });
  });

  it('passes on the x-request-id and traceparent of the context', async () => {
    respond = (_request, res) => sendJson(res, 200, { data: { product: null } });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await send(dataSource(), { requestId: 'req-trace-42', traceparent });
    expect(subgraph.requests[0]?.headers['x-request-id']).toBe('req-trace-42');
    expect(subgraph.requests[0]?.headers.traceparent).toBe(traceparent);
  });

  it('forwards the signed consumer identity in x-consumer-identity', async () => {
    respond = (_request, res) => sendJson(res, 200, { data: { product: null } });
    await send(dataSource(), { requestId: 'req-identity', identityToken: 'signed.identity.token' });
    expect(subgraph.requests[0]?.headers['x-consumer-identity']).toBe('signed.identity.token');
  });

  it('sends no traceparent when the caller sent none', async () => {
    respond = (_request, res) => sendJson(res, 200, { data: { product: null } });
    await send(dataSource(), { requestId: 'req-no-trace' });
    expect(subgraph.requests[0]?.headers['x-request-id']).toBe('req-no-trace');
    expect(subgraph.requests[0]?.headers).not.toHaveProperty('traceparent');
  });

  it('turns a 500 with an HTML body into SUBGRAPH_UNAVAILABLE without URL, port or body', async () => {
    respond = (_request, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body>stack trace at /srv/erp/secret-internals.js</body></html>');
    };
    const error = await failureOf(send(dataSource()));
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'erp' });
    expect(error.message).toBe('The erp service is unavailable.');
    for (const leak of [subgraph.origin, '127.0.0.1', String(subgraph.port), 'secret-internals'])
      expect(error.message).not.toContain(leak);
  });

  it('logs the status and body of a failed fetch for operators instead', async () => {
    respond = (_request, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway from the load balancer');
    };
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { service: 'test', level: 'error' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    await failureOf(send(dataSource(), { requestId: 'req-log', logger }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'subgraph fetch failed',
      subgraph: 'erp',
      status: 502,
      body: 'bad gateway from the load balancer',
    });
  });

  it('turns a 500 with GraphQL errors but no data into SUBGRAPH_UNAVAILABLE', async () => {
    respond = (_request, res) =>
      sendJson(res, 500, { errors: [{ message: 'db down at postgres://erp-db:5432' }] });
    const error = await failureOf(send(dataSource()));
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'erp' });
  });

  it('turns a 200 that is not a GraphQL response into SUBGRAPH_UNAVAILABLE', async () => {
    respond = (_request, res) => sendJson(res, 200, { status: 'ok' });
    const error = await failureOf(send(dataSource()));
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'erp' });
  });

  it('passes on a 400 with a GraphQL body as a response, not a failure', async () => {
    const body = {
      errors: [
        {
          message: 'Cannot query field "nope" on type "Query".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    };
    respond = (_request, res) => sendJson(res, 400, body);
    expect(await send(dataSource())).toEqual(body);
  });

  it('gives up on a subgraph that never answers with SUBGRAPH_TIMEOUT', async () => {
    respond = () => {
      // never answers
    };
    const started = performance.now();
    const error = await failureOf(send(dataSource({ timeoutMs: 200 })));
    const elapsed = performance.now() - started;
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_TIMEOUT', serviceName: 'erp' });
    expect(error.message).toBe('The erp service did not answer within 200 ms.');
    expect(elapsed).toBeLessThan(5_000);
  });

  it('reports a refused connection as SUBGRAPH_UNAVAILABLE', async () => {
    const closed = await startFakeHttpServer((_request, res) => res.end());
    await closed.close();
    const error = await failureOf(
      send(dataSource({ url: `${closed.origin}/graphql`, timeoutMs: 5_000 })),
    );
    expect(error.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'erp' });
    expect(error.message).not.toContain(String(closed.port));
  });
});
