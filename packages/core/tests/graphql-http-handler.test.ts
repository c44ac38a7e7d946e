import { request } from 'node:http';

import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { graphqlHttpHandler } from '../src/http/graphqlHttpHandler.js';
import { withRequestLogging } from '../src/http/requestLogging.js';
import { startHttpServer } from '../src/http/startHttpServer.js';
import type { RunningHttpServer } from '../src/http/startHttpServer.js';
import { createLogger } from '../src/logger.js';

describe('graphqlHttpHandler', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let apollo: ApolloServer<{ requestId: string }>;
  let server: RunningHttpServer;
  beforeAll(async () => {
    apollo = new ApolloServer<{ requestId: string }>({
      typeDefs: 'type Query { hello(name: String): String, requestId: String }',
      resolvers: {
        Query: {
          hello: (_: unknown, args: { name?: string }) => `hello ${args.name ?? 'world'}`,
          requestId: (_: unknown, __: unknown, ctx: { requestId: string }) => ctx.requestId,
        },
      },
      logger,
    });
    await apollo.start();
    const graphql = graphqlHttpHandler(apollo, {
      maxBodyBytes: 1_000,
      context: async (req) => ({ requestId: req.id }),
    });
    server = await startHttpServer(withRequestLogging(logger, graphql), { port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await apollo.stop();
  });

  const post = (
    body: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => fetch(`${server.url}/graphql`, { method: 'POST', headers, body });

  it('runs a POSTed operation with variables, and hands the request id to the context', async () => {
    const response = await post(
      JSON.stringify({
        query: 'query($n: String) { hello(name: $n) requestId }',
        variables: { n: 'Ada' },
      }),
      { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'abc-1' },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'hello Ada', requestId: 'abc-1' } });
  });

  it('runs a GET query (with the CSRF-preventing header Apollo asks for)', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ hello }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { hello: 'hello world' } });
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE in GraphQL shape', async () => {
    const response = await post(JSON.stringify({ query: `{ hello } # ${'x'.repeat(2_000)}` }), {
      'content-type': 'application/json',
      'x-request-id': 'big-1',
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The request body is larger than the 1000 bytes allowed.',
          extensions: { code: 'PAYLOAD_TOO_LARGE', requestId: 'big-1' },
        },
      ],
    });
  });

  it('refuses a chunked body (no content-length) once it passes the limit', async () => {
    const url = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(`{"query":"{ hello }","pad":"${'y'.repeat(600)}`);
      req.write(`${'y'.repeat(600)}"}`);
      req.end();
    });
    expect(status).toBe(413);
  });

  it('answers JSON that does not parse with 400 BAD_REQUEST', async () => {
    const response = await post('{"query": "{ hello }"');
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.message).toMatch(/^The request body is not valid JSON/);
  });

  it('leaves a body that is not JSON to Apollo, which refuses it as a client error', async () => {
    const response = await post('{ hello }', { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
  });
});
