import { Agent, get } from 'node:http';
import { connect } from 'node:net';

import { describe, expect, it } from 'vitest';

import { startHttpServer } from '../src/http/startHttpServer.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves with the connection error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('startHttpServer', () => {
  it('listens on a free port of 127.0.0.1 by default', async () => {
    const server = await startHttpServer((_req, res) => res.end('hi'));
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const response = await fetch(server.url);
      await expect(response.text()).resolves.toBe('hi');
    } finally {
      await server.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer((_req, res) => res.end());
    try {
      await expect(startHttpServer((_req, res) => res.end(), { port: first.port })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });

  it('close() lets an in-flight request finish but accepts no new connection', async () => {
    const arrived = deferred();
    const release = deferred();
    const server = await startHttpServer((req, res) => {
      if (req.url === '/slow') {
        arrived.resolve();
        void release.promise.then(() => {
          res.setHeader('content-type', 'text/plain');
          res.end('finished');
        });
        return;
      }
      res.end('fast');
    });

    const slow = fetch(`${server.url}/slow`);
    await arrived.promise;
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });

    await expect(tryConnect(server.port)).resolves.toBe('ECONNREFUSED');
    expect(closed).toBe(false);

    release.resolve();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    await expect(response.text()).resolves.toBe('finished');
    await closing;
    expect(closed).toBe(true);
  });

  it('close() ends a keep-alive connection that a client keeps busy', async () => {
    // A gateway's connection pool reuses its connections at once: the server
    // must tell it to stop rather than serve it until the grace period ends.
    const arrived = deferred();
    const release = deferred();
    const server = await startHttpServer(
      (req, res) => {
        if (req.url === '/0') {
          arrived.resolve();
          void release.promise.then(() => res.end('first'));
          return;
        }
        res.end(`answer ${req.url}`);
      },
      { graceMs: 30_000 },
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const call = (path: string) =>
      new Promise<string>((resolve, reject) => {
        get({ host: '127.0.0.1', port: server.port, path, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    try {
      const first = call('/0');
      await arrived.promise;
      const started = performance.now();
      const closing = server.close();
      release.resolve();
      await expect(first).resolves.toBe('first');

      const outcomes: string[] = [];
      for (let i = 1; i <= 20; i++) {
        const outcome = await call(`/${i}`).then(
          () => 'answered',
          (error: NodeJS.ErrnoException) => error.code ?? 'error',
        );
        outcomes.push(outcome);
        if (outcome !== 'answered') break;
      }
      expect(outcomes).toEqual(['ECONNREFUSED']);
      await closing;
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      agent.destroy();
      await server.close();
    }
  });

  it('close() cuts a request still running after the grace period', async () => {
    const arrived = deferred();
    const server = await startHttpServer(
      () => {
        arrived.resolve();
        // Never answers.
      },
      { graceMs: 100 },
    );
    const hung = fetch(server.url).then(
      () => 'answered',
      () => 'cut',
    );
    await arrived.promise;
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(hung).resolves.toBe('cut');
  });

  it('close() returns the same promise when called twice', async () => {
    const server = await startHttpServer((_req, res) => res.end());
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(server.server.listening).toBe(false);
  });
});
