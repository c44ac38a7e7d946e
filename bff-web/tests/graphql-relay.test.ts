import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';

import type { RunningHttpServer } from '@bff/core';
import { getAvailablePort, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startWeb } from './startWeb.js';
import { WebBrowser } from './WebBrowser.js';

// POST /graphql passes the web app's own operations to the gateway, whose
// guards judge them; GET /graphql is the explorer, served with no CDN.

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('bff-web /graphql', () => {
  let stack: Stack;
  let web: RunningHttpServer;
  let browser: WebBrowser;
  beforeAll(async () => {
    stack = await startStack();
    web = await startWeb(stack.gatewayUrl);
    browser = new WebBrowser(web.url);
    await browser.signIn(await stack.credentials.token({ sub: 'mia', scopes: ['crm:pii'] }));
  });
  afterAll(async () => {
    await web?.close();
    await stack?.close();
  });

  it("passes a free-form query to the gateway as the web app's operation, with the gateway's rate-limit headers", async () => {
    const answer = await browser.graphql(
      { query: '{ customers(first: 2) { nodes { id name email } } }' },
      { 'apollographql-client-version': '2026.11.3' },
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    expect(answer.headers['ratelimit-limit']).toBeDefined();
    expect(answer.headers['ratelimit-remaining']).toBeDefined();
    const body = answer.json<GraphqlBody>();
    expect(body.errors).toBeUndefined();
    const nodes = (body.data as { customers: { nodes: { email: string }[] } }).customers.nodes;
    expect(nodes).toHaveLength(2);
    expect(nodes[0]?.email).toContain('@');
  });

  it("relays the gateway's refusals as they are: status, code and message", async () => {
    const deep = await browser.graphql({
      query:
        '{ orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { customer { orders(first: 1) { nodes { id } } } } } } } } } } } }',
    });
    expect(deep.status).toBe(400);
    expect(deep.json<GraphqlBody>().errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('takes only JSON bodies: anything else is a 415 GraphQL error, never passed on', async () => {
    const answer = await browser.send(
      'POST',
      '/graphql',
      { 'content-type': 'text/plain' },
      '{"query":"{ __typename }"}',
    );
    expect(answer.status).toBe(415);
    expect(answer.json()).toEqual({
      errors: [
        {
          message: 'POST /graphql takes a JSON body: Content-Type: application/json.',
          extensions: { code: 'BAD_REQUEST', request_id: answer.headers['x-request-id'] },
        },
      ],
    });
  });

  it('the explorer: GraphiQL in one page with every script inline, compressed, revalidated by ETag', async () => {
    const page = await browser.get('/graphql', { 'accept-encoding': 'br' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-encoding']).toBe('br');
    const html = brotliDecompressSync(page.raw).toString('utf8');
    expect(html).toContain('renderYogaGraphiQL');
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).toContain('"credentials":"same-origin"');
    // Nothing is fetched from another origin: no external script, style or font.
    expect(html).not.toMatch(/<script[^>]+src=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link[^>]+href=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s+url\(["']?https?:/i);
    const again = await browser.get('/graphql', { 'if-none-match': page.headers.etag as string });
    expect(again.status).toBe(304);
  });
});

describe('bff-web /graphql without the gateway', () => {
  it('answers 502 UPSTREAM_UNAVAILABLE when the gateway is unreachable, 503 UPSTREAM_TIMEOUT when it is too slow, both as GraphQL errors', async () => {
    const closedPort = await getAvailablePort();
    const unreachable = await startWeb(`http://127.0.0.1:${closedPort}/graphql`);
    const silent = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const slow = await startWeb(slowUrl, { GATEWAY_TIMEOUT_MS: '200' });
    try {
      for (const [web, status, code] of [
        [unreachable, 502, 'UPSTREAM_UNAVAILABLE'],
        [slow, 503, 'UPSTREAM_TIMEOUT'],
      ] as const) {
        const answer = await new WebBrowser(web.url).graphql({ query: '{ __typename }' });
        expect(answer.status).toBe(status);
        expect(answer.json<GraphqlBody>().errors?.[0]?.extensions).toEqual({
          code,
          request_id: answer.headers['x-request-id'],
        });
      }
    } finally {
      await unreachable.close();
      await slow.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('serves no explorer when EXPLORER=false', async () => {
    const web = await startWeb('http://127.0.0.1:9/graphql', { EXPLORER: 'false' });
    try {
      expect((await new WebBrowser(web.url).get('/graphql')).status).toBe(404);
    } finally {
      await web.close();
    }
  });
});

describe("bff-web's own client name", () => {
  it('is refused by the gateway for free-form operations: bff-web runs only its registered ones', async () => {
    const stack = await startStack();
    // Misconfigured on purpose: the relay claiming to be bff-web itself.
    const web = await startWeb(stack.gatewayUrl, { WEB_CLIENT_NAME: 'bff-web' });
    try {
      const browser = new WebBrowser(web.url);
      await browser.signIn(await stack.credentials.token({ sub: 'mia' }));
      const answer = await browser.graphql({ query: '{ products(first: 1) { nodes { sku } } }' });
      expect(answer.status).toBe(403);
      expect(answer.json<GraphqlBody>().errors?.[0]?.extensions?.code).toBe(
        'PERSISTED_QUERY_NOT_IN_LIST',
      );
    } finally {
      await web.close();
      await stack.close();
    }
  });
});
