import { request } from 'node:http';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger } from '../src/logger.js';
import { addLogFields, withRequestLogging } from '../src/http/requestLogging.js';
import { startHttpServer } from '../src/http/startHttpServer.js';
import type { RunningHttpServer } from '../src/http/startHttpServer.js';

describe('request logging', () => {
  let lines: Record<string, unknown>[];
  let server: RunningHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(listener: Parameters<typeof withRequestLogging>[1]) {
    lines = [];
    const logger = createLogger(
      { service: 'test', level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    server = await startHttpServer(withRequestLogging(logger, listener), { port: 0 });
    return server.url;
  }

  /** Waits until the server has written its access line (after the response reached us). */
  async function accessLine(): Promise<Record<string, unknown>> {
    for (let i = 0; i < 100 && !lines.some((l) => typeof l.durationMs === 'number'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return lines.find((l) => typeof l.durationMs === 'number') ?? {};
  }

  it("masks e-mail addresses and phone numbers in a URL's query string (a GET's variables)", async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const variables = encodeURIComponent(JSON.stringify({ email: 'ada@example.com' }));
    await fetch(`${url}/graphql?query=q&variables=${variables}&phone=%2B14155550123`);
    const line = await accessLine();
    const logged = (line.req as { url: string }).url;
    expect(logged).toMatch(/^\/graphql\?query=q&variables=\{"email":/);
    expect(logged).not.toContain('ada@example.com');
    expect(logged).not.toContain('4155550123');
  });

  it('writes one access line per request with its id, method, URL, status, duration and added fields', async () => {
    const url = await serve((req, res) => {
      req.log.info({ step: 'inside' }, 'handler line');
      addLogFields(res, { operationName: 'Orders' });
      addLogFields(res, { cost: 12 });
      res.statusCode = 201;
      res.end('ok');
    });
    const response = await fetch(`${url}/graphql?x=1`, { headers: { 'x-request-id': 'req-123' } });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(await accessLine()).toMatchObject({
      level: 'info',
      service: 'test',
      requestId: 'req-123',
      req: { method: 'GET', url: '/graphql?x=1' },
      status: 201,
      operationName: 'Orders',
      cost: 12,
      msg: 'request completed',
    });
    expect(lines.filter((l) => typeof l.durationMs === 'number')).toHaveLength(1);
    expect(lines.find((l) => l.msg === 'handler line')).toMatchObject({
      requestId: 'req-123',
      step: 'inside',
    });
  });

  it('mints an id when the caller sends none', async () => {
    const url = await serve((_req, res) => res.end());
    const response = await fetch(url);
    const id = response.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await accessLine()).requestId).toBe(id);
  });

  it('logs a server error at error level', async () => {
    const url = await serve((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    await fetch(url);
    expect((await accessLine()).level).toBe('error');
  });

  it('keeps successful probes out of the log, and reports failing ones as warnings', async () => {
    let status = 200;
    const url = await serve((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    await fetch(`${url}/health`);
    await fetch(`${url}/ready`);
    status = 503;
    await fetch(`${url}/ready`);
    expect(await accessLine()).toMatchObject({
      level: 'warn',
      req: { url: '/ready' },
      status: 503,
    });
    expect(lines.filter((l) => typeof l.durationMs === 'number')).toHaveLength(1);
  });

  it('says so when the client goes away before the answer', async () => {
    const url = new URL(await serve(() => undefined));
    await new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: '/slow' });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    expect(await accessLine()).toMatchObject({
      level: 'warn',
      msg: 'request aborted',
      req: { url: '/slow' },
    });
  });
});
