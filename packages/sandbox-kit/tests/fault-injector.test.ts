import { performance } from 'node:perf_hooks';

import { describe, expect, it } from 'vitest';

import { FaultInjector, faultSchema } from '../src/admin/FaultInjector.js';

/** A `random` that returns the given values in turn, and counts its calls. */
function sequence(...values: number[]) {
  let i = 0;
  const random = () => values[i++ % values.length] as number;
  return Object.assign(random, { calls: () => i });
}

describe('FaultInjector', () => {
  it('passes every call by default', async () => {
    const faults = new FaultInjector(0, sequence(0));
    expect(await faults.apply('GET /orders')).toEqual({ kind: 'pass' });
    expect(faults.current()).toEqual({ baseLatencyMs: 0 });
  });

  it('answers a fixed status, with Retry-After when set', async () => {
    const faults = new FaultInjector(0);
    faults.set({ status: 503, retryAfterSeconds: 7 });
    expect(await faults.apply('GET /orders')).toEqual({
      kind: 'status',
      status: 503,
      retryAfterSeconds: 7,
    });
    faults.set({ status: 429 });
    expect(await faults.apply('GET /orders')).toEqual({ kind: 'status', status: 429 });
  });

  it('drops the connection when down, whatever else is set', async () => {
    const faults = new FaultInjector(0);
    faults.set({ down: true, status: 500 });
    expect(await faults.apply('POST /orders')).toEqual({ kind: 'drop' });
  });

  it('fails the share of calls errorRate says, with errorStatus (500 by default)', async () => {
    const random = sequence(0.29, 0.3, 0.99);
    const faults = new FaultInjector(0, random);
    faults.set({ errorRate: 0.3 });
    expect(await faults.apply('GET /x')).toEqual({ kind: 'status', status: 500 });
    expect(await faults.apply('GET /x')).toEqual({ kind: 'pass' });
    expect(await faults.apply('GET /x')).toEqual({ kind: 'pass' });
    expect(random.calls()).toBe(3);

    faults.set({ errorRate: 1, errorStatus: 502, retryAfterSeconds: 3 });
    expect(await faults.apply('GET /x')).toEqual({
      kind: 'status',
      status: 502,
      retryAfterSeconds: 3,
    });
    faults.set({ errorRate: 0 });
    expect(await faults.apply('GET /x')).toEqual({ kind: 'pass' });
  });

  it('applies only to the listed routes', async () => {
    const random = sequence(0);
    const faults = new FaultInjector(0, random);
    faults.set({ status: 500, routes: ['GET /orders/:doc_id'] });
    expect(await faults.apply('GET /orders')).toEqual({ kind: 'pass' });
    expect(await faults.apply('POST /orders/:doc_id')).toEqual({ kind: 'pass' });
    expect(await faults.apply('GET /orders/:doc_id')).toEqual({ kind: 'status', status: 500 });
    faults.set({ errorRate: 1, routes: ['GET /a'] });
    await faults.apply('GET /b');
    expect(random.calls()).toBe(0);
  });

  it('applies `times` to the next N matching calls only, then clears itself', async () => {
    const faults = new FaultInjector(0);
    faults.set({ status: 503, times: 2, routes: ['GET /a'] });
    expect(faults.current()).toMatchObject({ status: 503, times: 2, remaining: 2 });
    // Calls to other routes do not use it up.
    expect(await faults.apply('GET /b')).toEqual({ kind: 'pass' });
    expect(await faults.apply('GET /a')).toEqual({ kind: 'status', status: 503 });
    expect(faults.current()).toMatchObject({ remaining: 1 });
    expect(await faults.apply('GET /b')).toEqual({ kind: 'pass' });
    expect(await faults.apply('GET /a')).toEqual({ kind: 'status', status: 503 });
    expect(faults.current()).toEqual({ baseLatencyMs: 0 });
    expect(await faults.apply('GET /a')).toEqual({ kind: 'pass' });
  });

  it('clear() removes every fault', async () => {
    const faults = new FaultInjector(0);
    faults.set({ status: 500 });
    faults.clear();
    expect(await faults.apply('GET /a')).toEqual({ kind: 'pass' });
    expect(faults.current()).toEqual({ baseLatencyMs: 0 });
  });

  // setTimeout may fire up to a millisecond before the wall clock says the
  // delay has passed; upper bounds are generous so a busy machine does not fail.
  it('waits the base latency on every call', async () => {
    const faults = new FaultInjector(80);
    expect(faults.current()).toEqual({ baseLatencyMs: 80 });
    const start = performance.now();
    expect(await faults.apply('GET /a')).toEqual({ kind: 'pass' });
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(79);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('adds injected latency to matching calls only, on top of the base latency', async () => {
    const faults = new FaultInjector(30);
    faults.set({ latencyMs: 5_000, routes: ['GET /slow'] });
    let start = performance.now();
    await faults.apply('GET /fast');
    expect(performance.now() - start).toBeLessThan(2_500);

    faults.set({ latencyMs: 70 });
    start = performance.now();
    expect(await faults.apply('GET /fast')).toEqual({ kind: 'pass' });
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(2_500);
  });
});

describe('faultSchema', () => {
  it('accepts every documented field', () => {
    const settings = {
      latencyMs: 10,
      errorRate: 0.5,
      errorStatus: 502,
      status: 503,
      retryAfterSeconds: 1,
      down: false,
      routes: ['GET /orders'],
      times: 3,
    };
    expect(faultSchema.parse(settings)).toEqual(settings);
    expect(faultSchema.parse({})).toEqual({});
  });

  it.each([
    [{ unknown: 1 }],
    [{ status: 200 }],
    [{ status: 600 }],
    [{ errorStatus: 399 }],
    [{ errorRate: 1.5 }],
    [{ errorRate: -0.1 }],
    [{ latencyMs: -1 }],
    [{ latencyMs: 120_001 }],
    [{ latencyMs: 1.5 }],
    [{ retryAfterSeconds: 3_601 }],
    [{ times: 0 }],
    [{ down: 'yes' }],
    [{ routes: 'GET /orders' }],
    [{ routes: [''] }],
  ])('refuses %j', (body) => {
    expect(faultSchema.safeParse(body).success).toBe(false);
  });
});
