// A throwaway redis-server of a test's own, for tests that
// stop and restart Redis (never the shared one on 6379).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RedisServerProcess {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Starts it (again, on the same port) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGTERM, and resolves once the process has exited. A no-op when it is not running. */
  stop(): Promise<void>;
  /** SIGSTOP: the kernel still accepts connections and bytes, Redis answers nothing. */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
}

const redisServerPath = '/usr/bin/redis-server';

/** A redis-server on `port` without persistence, started and ready. */
export async function startRedisServer(port: number): Promise<RedisServerProcess> {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) throw new Error('redis-server is already running');
    const spawned = spawn(
      redisServerPath,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = spawned;
    exited = new Promise((resolve) =>
      spawned.once('exit', () => {
        if (child === spawned) child = undefined;
        resolve();
      }),
    );
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server not ready in 10 s:\n${output.join('\n')}`)),
        10_000,
      );
      spawned.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) before ready:\n${output.join('\n')}`));
      });
      createInterface({ input: spawned.stdout! }).on('line', (line) => {
        output.push(line);
        if (line.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      spawned.stderr!.resume();
    });
  };

  const server: RedisServerProcess = {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: async () => {
      // A stopped process keeps SIGTERM pending until it is continued.
      child?.kill('SIGCONT');
      child?.kill('SIGTERM');
      await exited;
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
  };
  await start();
  return server;
}
