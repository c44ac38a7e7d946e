import { describe, expect, it, vi } from 'vitest';

import { IdempotencyStore } from '../src/http/IdempotencyStore.js';
import { SandboxHttpError } from '../src/http/SandboxHttpError.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An execute function that answers 201 with a fresh id on every call. */
function creator() {
  let n = 0;
  return vi.fn(async () => ({ status: 201, body: { id: ++n } }));
}

describe('IdempotencyStore', () => {
  it('always executes when there is no key', async () => {
    const store = new IdempotencyStore();
    const execute = creator();
    expect(await store.run(undefined, 'POST /x', { a: 1 }, execute)).toEqual({
      status: 201,
      body: { id: 1 },
      replayed: false,
    });
    expect(await store.run(undefined, 'POST /x', { a: 1 }, execute)).toEqual({
      status: 201,
      body: { id: 2 },
      replayed: false,
    });
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('replays the first result for the same key and body, executing once', async () => {
    const store = new IdempotencyStore();
    const execute = creator();
    const first = await store.run('key-1', 'POST /x', { a: 1, b: [2] }, execute);
    const again = await store.run('key-1', 'POST /x', { a: 1, b: [2] }, execute);
    expect(first).toEqual({ status: 201, body: { id: 1 }, replayed: false });
    expect(again).toEqual({ status: 201, body: { id: 1 }, replayed: true });
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('replays to concurrent calls while the first is still running', async () => {
    const store = new IdempotencyStore();
    const gate = deferred<{ status: number; body: unknown }>();
    const execute = vi.fn(() => gate.promise);
    const calls = [1, 2, 3].map(() => store.run('key-1', 'POST /x', { a: 1 }, execute));
    expect(execute).toHaveBeenCalledTimes(1);
    gate.resolve({ status: 201, body: { id: 'only' } });
    const results = await Promise.all(calls);
    expect(results.map((r) => r.body)).toEqual([{ id: 'only' }, { id: 'only' }, { id: 'only' }]);
    expect(results.map((r) => r.replayed)).toEqual([false, true, true]);
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('refuses the same key with a different body: 422 idempotency_key_reused', async () => {
    const store = new IdempotencyStore();
    const execute = creator();
    await store.run('key-1', 'POST /x', { a: 1 }, execute);
    const error = await store.run('key-1', 'POST /x', { a: 2 }, execute).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxHttpError);
    expect(error).toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
      message: 'this Idempotency-Key was used with a different request body',
    });
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('refuses a different body even while the first call is still running', async () => {
    const store = new IdempotencyStore();
    const gate = deferred<{ status: number; body: unknown }>();
    const first = store.run('key-1', 'POST /x', { a: 1 }, () => gate.promise);
    await expect(store.run('key-1', 'POST /x', { a: 2 }, creator())).rejects.toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
    });
    gate.resolve({ status: 201, body: {} });
    await expect(first).resolves.toMatchObject({ replayed: false });
  });

  it('keeps keys apart per scope', async () => {
    const store = new IdempotencyStore();
    const execute = creator();
    await store.run('key-1', 'POST /orders', { a: 1 }, execute);
    const other = await store.run('key-1', 'POST /activities', { a: 2 }, execute);
    expect(other).toEqual({ status: 201, body: { id: 2 }, replayed: false });
  });

  it('does not remember an execution that throws: the same key runs again', async () => {
    const store = new IdempotencyStore();
    const execute = vi
      .fn<() => Promise<{ status: number; body: unknown }>>()
      .mockRejectedValueOnce(new SandboxHttpError(400, 'unknown_sku', 'no such sku'))
      .mockResolvedValueOnce({ status: 201, body: { id: 'second' } });
    await expect(store.run('key-1', 'POST /x', { a: 1 }, execute)).rejects.toMatchObject({
      status: 400,
      code: 'unknown_sku',
    });
    expect(await store.run('key-1', 'POST /x', { a: 1 }, execute)).toEqual({
      status: 201,
      body: { id: 'second' },
      replayed: false,
    });
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('does not remember an answer with status 400 or more', async () => {
    const store = new IdempotencyStore();
    const execute = vi
      .fn<() => Promise<{ status: number; body: unknown }>>()
      .mockResolvedValueOnce({ status: 409, body: { error: 'conflict' } })
      .mockResolvedValueOnce({ status: 201, body: { id: 'second' } });
    expect(await store.run('key-1', 'POST /x', { a: 1 }, execute)).toEqual({
      status: 409,
      body: { error: 'conflict' },
      replayed: false,
    });
    // A failed key may even be reused with another body.
    expect(await store.run('key-1', 'POST /x', { a: 2 }, execute)).toEqual({
      status: 201,
      body: { id: 'second' },
      replayed: false,
    });
  });

  it('forgets a key once its ttl has passed', async () => {
    const clock = { now: 0 };
    const store = new IdempotencyStore(1_000, () => clock.now);
    const execute = creator();
    await store.run('key-1', 'POST /x', { a: 1 }, execute);
    clock.now = 999;
    expect((await store.run('key-1', 'POST /x', { a: 1 }, execute)).replayed).toBe(true);
    clock.now = 1_000;
    expect(await store.run('key-1', 'POST /x', { a: 1 }, execute)).toEqual({
      status: 201,
      body: { id: 2 },
      replayed: false,
    });
  });

  it('refuses a key longer than 255 characters with 400', async () => {
    const store = new IdempotencyStore();
    const execute = creator();
    await expect(store.run('k'.repeat(256), 'POST /x', {}, execute)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_idempotency_key',
    });
    expect(execute).not.toHaveBeenCalled();
    await expect(store.run('k'.repeat(255), 'POST /x', {}, execute)).resolves.toMatchObject({
      status: 201,
    });
  });
});
