import { describe, expect, it, vi } from 'vitest';

import { ConfigError, StartupError } from '../src/config/parseConfig.js';
import { createLogger } from '../src/logger.js';
import { runMain } from '../src/runMain.js';
import type { ProcessLike, RunningService } from '../src/runMain.js';

type Listener = (arg?: unknown) => void;

/** A stand-in for `process`: records output, listeners and exit codes. */
function fakeProcess(env: Record<string, string | undefined> = {}) {
  const listeners = new Map<string, Listener[]>();
  const exits: number[] = [];
  let stderr = '';
  let exited!: (code: number) => void;
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  const proc: ProcessLike = {
    env,
    stderr: {
      write: (text: string) => {
        stderr += text;
        return true;
      },
    },
    on: (event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return proc;
    },
    exit: ((code: number) => {
      exits.push(code);
      exited(code);
    }) as (code: number) => never,
  };
  return {
    proc,
    exits,
    firstExit,
    stderr: () => stderr,
    emit: (event: string, arg?: unknown) => listeners.get(event)?.forEach((l) => l(arg)),
    listenerCount: (event: string) => listeners.get(event)?.length ?? 0,
  };
}

function fakeService(close: () => Promise<void> = async () => {}) {
  const service: RunningService = {
    logger: createLogger({ service: 'test', level: 'silent' }),
    close: vi.fn(close),
  };
  return service;
}

describe('runMain', () => {
  it('passes the environment to start', async () => {
    const fake = fakeProcess({ PORT: '4001' });
    const start = vi.fn(async () => fakeService());
    await runMain(fake.proc, start);
    expect(start).toHaveBeenCalledWith({ PORT: '4001' });
    expect(fake.exits).toEqual([]);
  });

  it('prints only the message of a ConfigError and exits 1', async () => {
    const fake = fakeProcess();
    const error = new ConfigError('erp-subgraph', ['PORT: must be a TCP port number (got "x")']);
    await runMain(fake.proc, async () => {
      throw error;
    });
    expect(fake.stderr()).toBe(
      'erp-subgraph: invalid configuration; fix these environment variables and start again:\n' +
        '  - PORT: must be a TCP port number (got "x")\n',
    );
    expect(fake.exits).toEqual([1]);
  });

  it('prints only the message of a StartupError and exits 1', async () => {
    const fake = fakeProcess();
    await runMain(fake.proc, async () => {
      throw new StartupError('supergraph does not compose: Order.id is not shareable');
    });
    expect(fake.stderr()).toBe('supergraph does not compose: Order.id is not shareable\n');
    expect(fake.stderr()).not.toMatch(/\n\s+at /);
    expect(fake.exits).toEqual([1]);
  });

  it('prints the stack of an unexpected start failure and exits 1', async () => {
    const fake = fakeProcess();
    await runMain(fake.proc, async () => {
      throw new TypeError('boom');
    });
    expect(fake.stderr()).toMatch(/^failed to start: TypeError: boom\n\s+at /);
    expect(fake.exits).toEqual([1]);
  });

  it('on SIGTERM closes the service, then exits 0', async () => {
    const fake = fakeProcess();
    let finishClose!: () => void;
    const service = fakeService(() => new Promise<void>((resolve) => (finishClose = resolve)));
    await runMain(fake.proc, async () => service);

    fake.emit('SIGTERM');
    expect(service.close).toHaveBeenCalledTimes(1);
    // Still draining: no exit until close() settles.
    await Promise.resolve();
    expect(fake.exits).toEqual([]);

    finishClose();
    await expect(fake.firstExit).resolves.toBe(0);
    expect(fake.exits).toEqual([0]);
  });

  it('on SIGINT closes the service, then exits 0', async () => {
    const fake = fakeProcess();
    const service = fakeService();
    await runMain(fake.proc, async () => service);
    fake.emit('SIGINT');
    await expect(fake.firstExit).resolves.toBe(0);
    expect(service.close).toHaveBeenCalledTimes(1);
  });

  it('exits 1 when close() rejects', async () => {
    const fake = fakeProcess();
    const service = fakeService(async () => {
      throw new Error('pool would not drain');
    });
    await runMain(fake.proc, async () => service);
    fake.emit('SIGTERM');
    await expect(fake.firstExit).resolves.toBe(1);
    expect(fake.exits).toEqual([1]);
  });

  it('exits 1 on a second signal while still closing, without waiting for close', async () => {
    const fake = fakeProcess();
    const service = fakeService(() => new Promise<void>(() => {}));
    await runMain(fake.proc, async () => service);
    fake.emit('SIGTERM');
    expect(fake.exits).toEqual([]);
    fake.emit('SIGINT');
    // Only the buffered log lines are written out first; close() never settles.
    expect(await fake.firstExit).toBe(1);
  });

  it('exits 1 on an unhandled rejection', async () => {
    const fake = fakeProcess();
    await runMain(fake.proc, async () => fakeService());
    expect(fake.listenerCount('unhandledRejection')).toBe(1);
    fake.emit('unhandledRejection', new Error('lost promise'));
    expect(await fake.firstExit).toBe(1);
  });
});
