import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHttpApp, finishHttpApp } from '../src/http/createHttpApp.js';
import type { ReadinessCheck } from '../src/http/readiness.js';
import { startHttpServer } from '../src/http/startHttpServer.js';
import type { RunningHttpServer } from '../src/http/startHttpServer.js';
import { createLogger } from '../src/logger.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function serve(readiness?: Record<string, ReadinessCheck>): Promise<RunningHttpServer> {
  const app = createHttpApp({ logger, readiness });
  app.post('/echo', express.json({ limit: '1kb' }), (req, res) => {
    res.json({ received: req.body as unknown });
  });
  app.get('/boom', () => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
  });
  return startHttpServer(finishHttpApp(app));
}

describe('createHttpApp', () => {
  let server: RunningHttpServer;

  beforeAll(async () => {
    server = await serve();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers /health with 200', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ status: 'ok' });
  });

  it('answers /ready with 200 when there is nothing to check', async () => {
    const response = await fetch(`${server.url}/ready`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ status: 'ready', checks: {} });
  });

  it('echoes a well-formed x-request-id', async () => {
    const id = `req-${Math.random().toString(36).slice(2)}`;
    const response = await fetch(`${server.url}/health`, { headers: { 'x-request-id': id } });
    expect(response.headers.get('x-request-id')).toBe(id);
  });

  it('mints an x-request-id when none or a bad one is given', async () => {
    const minted = await fetch(`${server.url}/health`);
    expect(minted.headers.get('x-request-id')).toMatch(uuid);
    const replaced = await fetch(`${server.url}/health`, {
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(uuid);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await fetch(`${server.url}/no/such/route?x=1`, {
      headers: { 'x-request-id': 'rid-404' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-request-id')).toBe('rid-404');
    await expect(response.json()).resolves.toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'No route for GET /no/such/route',
        status: 404,
        details: {},
        request_id: 'rid-404',
      },
    });
  });

  it('passes a JSON body under the limit', async () => {
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ received: { a: 1 } });
  });

  it('answers a JSON body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(4_096) }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(typeof body.error.message).toBe('string');
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
  });

  it('answers an unexpected error with a generic 500 and no detail', async () => {
    const response = await fetch(`${server.url}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'INTERNAL_SERVER_ERROR',
        message: 'Internal server error',
        status: 500,
        details: {},
        request_id: response.headers.get('x-request-id'),
      },
    });
    expect(text).not.toContain('hunter2');
  });

  it('does not advertise express', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('/ready', () => {
  it('answers 200 when every check passes', async () => {
    const server = await serve({ erp: async () => {}, cache: async () => {} });
    try {
      const response = await fetch(`${server.url}/ready`);
      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toEqual({
        status: 'ready',
        checks: { erp: 'ok', cache: 'ok' },
      });
    } finally {
      await server.close();
    }
  });

  it("answers 503 with each failing check's reason", async () => {
    const server = await serve({
      erp: async () => {},
      crm: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      inventory: () => Promise.reject(new Error('token endpoint said 401')),
      odd: () => Promise.reject('plain reason'),
    });
    try {
      const response = await fetch(`${server.url}/ready`);
      expect(response.status).toBe(503);
      await expect(response.json()).resolves.toEqual({
        status: 'not_ready',
        checks: {
          erp: 'ok',
          crm: 'connect ECONNREFUSED',
          inventory: 'token endpoint said 401',
          odd: 'plain reason',
        },
      });
    } finally {
      await server.close();
    }
  });

  it('reports a check that never answers as failed within about 2 s', async () => {
    const server = await serve({
      erp: async () => {},
      hung: () => new Promise<void>(() => {}),
    });
    try {
      const started = performance.now();
      const response = await fetch(`${server.url}/ready`);
      const elapsed = performance.now() - started;
      expect(response.status).toBe(503);
      await expect(response.json()).resolves.toEqual({
        status: 'not_ready',
        checks: { erp: 'ok', hung: 'no answer within 2000 ms' },
      });
      expect(elapsed).toBeLessThan(6_000);
    } finally {
      await server.close();
    }
  });
});
