import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunningHttpServer } from '@bff/core';
import {
  getAvailablePort,
  postGraphQL,
  roomyRateLimits,
  startBff,
  startStack,
  writeConsumerPolicyFile,
} from '@bff/testing';
import type { BffName, Stack } from '@bff/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** How one BFF is driven by the contract suite. */
export interface BffTarget {
  name: BffName;
  /** A screen about one order, which needs a signed-in user. */
  orderScreen: (orderId: string) => string;
  /** The same screen with an id that is not one: 400. */
  malformedScreen: string;
  /** A screen anyone may see (the catalogue). */
  publicScreen: string;
  /**
   * Signs in with `token` the way this BFF's client does, and answers the
   * headers that carry the session on later requests (a bearer token, or a
   * session cookie); undefined when the BFF refused it, with the refusal.
   */
  signIn: (bffUrl: string, token: string) => Promise<SignInResult>;
}

export type SignInResult =
  { ok: true; headers: Record<string, string> } | { ok: false; answer: Answer };

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(url, { headers });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

const errorKeys = ['code', 'details', 'message', 'request_id', 'status'];

/** `{ error: { code, message, status, details, request_id } }`, status and id matching the answer's. */
function expectErrorShape(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  const error = answer.body.error as Record<string, unknown>;
  expect(Object.keys(answer.body)).toEqual(['error']);
  expect(Object.keys(error).sort()).toEqual(errorKeys);
  expect(error).toMatchObject({ code, status, request_id: answer.headers['x-request-id'] });
  expect(typeof error.message).toBe('string');
  expect(error.details).toEqual(expect.any(Object));
}

/** A stand-in gateway that records what a BFF sends it and answers one fixed body. */
async function recordingGateway(): Promise<{
  url: string;
  seen: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[];
  close(): Promise<void>;
}> {
  const seen: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST') {
        seen.push({
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.method === 'POST' ? { data: { __typename: 'Query' } } : {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The contract every BFF keeps, whatever its screens: `/health` and a
 * `/ready` that follows the gateway, the request id read or minted, echoed
 * and passed on, the error shape on every refusal (400, 401, 403, 404, 429,
 * 502, 503), the user's identity passed to the gateway and refused when the
 * gateway refuses it, and the BFF named to the gateway as a client that
 * sends registered documents by id, never their text.
 */
export function defineBffContract(target: BffTarget): void {
  describe(`${target.name} keeps the BFF contract`, () => {
    let stack: Stack;
    let bff: RunningHttpServer;
    let orderId: string;
    beforeAll(async () => {
      stack = await startStack();
      bff = await startBff(target.name, stack.gatewayUrl);
      const found = await postGraphQL(
        stack.gatewayUrl,
        { query: '{ orders(first: 1) { nodes { id } } }' },
        stack.fullAccess,
      );
      orderId = (found.body.data as { orders: { nodes: { id: string }[] } }).orders.nodes[0]!.id;
    });
    afterAll(async () => {
      await bff?.close();
      await stack?.close();
    });

    it('health: /health answers 200 while the process lives', async () => {
      const answer = await getJson(`${bff.url}/health`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok' });
    });

    it('readiness: /ready is 200 with the gateway up and 503, naming it, with the gateway gone', async () => {
      const ready = await getJson(`${bff.url}/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { gateway: 'ok' } });

      const orphan = await startBff(
        target.name,
        `http://127.0.0.1:${await getAvailablePort()}/graphql`,
      );
      try {
        const notReady = await getJson(`${orphan.url}/ready`);
        expect(notReady.status).toBe(503);
        expect(notReady.body).toMatchObject({
          status: 'not_ready',
          checks: { gateway: expect.not.stringMatching(/^ok$/) },
        });
      } finally {
        await orphan.close();
      }
    });

    it('request id: a well-formed x-request-id is echoed, a missing or malformed one is minted', async () => {
      const given = await getJson(`${bff.url}/health`, { 'x-request-id': 'contract-rid-1' });
      expect(given.headers['x-request-id']).toBe('contract-rid-1');
      const cases: Record<string, string>[] = [{}, { 'x-request-id': 'no spaces <allowed>' }];
      for (const headers of cases) {
        const minted = await getJson(`${bff.url}/health`, headers);
        expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it('error shape: an unknown route (404) and a malformed id (400)', async () => {
      expectErrorShape(await getJson(`${bff.url}/no/such/screen`), 404, 'NOT_FOUND');
      expectErrorShape(await getJson(`${bff.url}${target.malformedScreen}`), 400, 'BAD_USER_INPUT');
    });

    it('auth: a screen that needs a user is 401 anonymous, 200 signed in; a token the gateway refuses is 401', async () => {
      const path = `${bff.url}${target.orderScreen(orderId)}`;
      expectErrorShape(await getJson(path), 401, 'UNAUTHENTICATED');

      const signedIn = await target.signIn(bff.url, await stack.credentials.token({ sub: 'kim' }));
      if (!signedIn.ok) throw new Error(`sign-in refused: ${JSON.stringify(signedIn.answer.body)}`);
      expect((await getJson(path, signedIn.headers)).status).toBe(200);

      const forged = await stack.credentials.token({ sub: 'kim', secret: 'f'.repeat(43) });
      const refused = await target.signIn(bff.url, forged);
      const answer = refused.ok ? await getJson(path, refused.headers) : refused.answer;
      expectErrorShape(answer, 401, 'UNAUTHENTICATED');
    });

    it("auth: a partner's credentials, which run only the partner's own operations, are 403 here", async () => {
      const partner = await stack.credentials.token({ sub: 'acme', class: 'partner' });
      const signedIn = await target.signIn(bff.url, partner);
      const answer = signedIn.ok
        ? await getJson(`${bff.url}${target.orderScreen(orderId)}`, signedIn.headers)
        : signedIn.answer;
      expectErrorShape(answer, 403, 'FORBIDDEN');
    });

    it('upstream failures: 429 with Retry-After from the rate limit, 502 with the gateway unreachable, 503 past the deadline', async () => {
      const tight = writeConsumerPolicyFile({
        ...roomyRateLimits,
        anonymous: { rateLimit: { requestsPerMinute: 1, burst: 1 } },
      });
      const limitedGateway = await stack.startGateway({ CONSUMER_POLICY_FILE: tight.path });
      const limited = await startBff(target.name, limitedGateway.url);
      const unreachable = await startBff(
        target.name,
        `http://127.0.0.1:${await getAvailablePort()}/graphql`,
      );
      const silent = createServer(() => {
        // Never answers.
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const slow = await startBff(
        target.name,
        `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`,
        { GATEWAY_TIMEOUT_MS: '200' },
      );
      try {
        expect((await getJson(`${limited.url}${target.publicScreen}`)).status).toBe(200);
        const refused = await getJson(`${limited.url}${target.publicScreen}`);
        expectErrorShape(refused, 429, 'RATE_LIMITED');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expectErrorShape(
          await getJson(`${unreachable.url}${target.publicScreen}`),
          502,
          'UPSTREAM_UNAVAILABLE',
        );
        expectErrorShape(
          await getJson(`${slow.url}${target.publicScreen}`),
          503,
          'UPSTREAM_TIMEOUT',
        );
      } finally {
        await Promise.all([limited.close(), unreachable.close(), slow.close()]);
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
        tight.dispose();
      }
    });

    it("passes on the request id, the user's identity, address and trace, names itself as a client, and sends documents by id", async () => {
      const gateway = await recordingGateway();
      const recorded = await startBff(target.name, gateway.url);
      try {
        const token = await stack.credentials.token({ sub: 'kim' });
        const signedIn = await target.signIn(recorded.url, token);
        if (!signedIn.ok) throw new Error('sign-in refused by the recording gateway');
        gateway.seen.length = 0;
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        await getJson(`${recorded.url}${target.orderScreen('4500000001')}`, {
          ...signedIn.headers,
          'x-request-id': 'contract-rid-2',
          traceparent,
        });
        expect(gateway.seen).toHaveLength(1);
        const [sent] = gateway.seen;
        expect(sent!.headers).toMatchObject({
          'x-request-id': 'contract-rid-2',
          authorization: `Bearer ${token}`,
          traceparent,
          'apollographql-client-name': target.name,
          'apollographql-client-version': expect.stringMatching(/^\d+\.\d+\.\d+/),
          // The end user's address, for the gateway's per-address anonymous buckets.
          'x-forwarded-for': expect.stringMatching(/(^|:)127\.0\.0\.1$/),
        });
        expect(sent!.body.documentId).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(sent!.body.query).toBeUndefined();
      } finally {
        await recorded.close();
        await gateway.close();
      }
    });
  });
}
