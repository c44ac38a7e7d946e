import { getAvailablePort, spawnNode, startStack, waitForOk } from '@bff/testing';
import type { Spawned, Stack } from '@bff/testing';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// SIGTERM under load, on real processes: every request the service accepted
// before the signal is answered in full, nothing new is accepted after it,
// and the process exits 0. The ERP answers slowly (400 ms) so that the
// requests are in flight when the signal lands.

const inFlight = 30;
const erpLatencyMs = 400;

interface Outcome {
  status?: number;
  body?: string;
  error?: string;
}

/** One request on a connection of its own, so every one reaches the server before the signal. */
async function send(
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
): Promise<Outcome> {
  const dispatcher = new Agent({ connections: 1, pipelining: 0 });
  try {
    const response = await request(url, { ...init, dispatcher });
    return { status: response.statusCode, body: await response.body.text() };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  } finally {
    await dispatcher.close();
  }
}

describe('SIGTERM during load', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await stack.sandboxes.erp.admin.setFaults({ latencyMs: erpLatencyMs });
  });
  afterAll(async () => {
    await stack?.sandboxes.erp.admin.clearFaults();
    await stack?.close();
  });

  async function underLoad(
    spawned: Spawned,
    url: string,
    init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  ) {
    const requests = Array.from({ length: inFlight }, () => send(url, init));
    // Well inside the upstream's latency: every request is being worked on.
    await new Promise((resolve) => setTimeout(resolve, erpLatencyMs / 2));
    spawned.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = await send(url, init);
    return { outcomes: await Promise.all(requests), late, exitCode: await spawned.exited };
  }

  it('the gateway answers every accepted request, refuses new connections, and exits 0', async () => {
    const port = await getAvailablePort();
    const gateway = spawnNode(['--conditions=source', '--import', 'tsx', 'gateway/src/main.ts'], {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      SUBGRAPH_ERP_URL: stack.subgraphs.erp.url,
      SUBGRAPH_CRM_URL: stack.subgraphs.crm.url,
      SUBGRAPH_INVENTORY_URL: stack.subgraphs.inventory.url,
      ...stack.credentials.gatewayEnv(),
      GUARDS: 'off',
    });
    await waitForOk(`http://127.0.0.1:${port}/ready`, 60_000);
    const { outcomes, late, exitCode } = await underLoad(
      gateway,
      `http://127.0.0.1:${port}/graphql`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ product(sku: "SKU-10001") { sku name } }' }),
      },
    );
    for (const outcome of outcomes) {
      expect(outcome.error, gateway.output.slice(-5).join('\n')).toBeUndefined();
      expect(outcome.status).toBe(200);
      expect(JSON.parse(outcome.body as string)).toEqual({
        data: { product: { sku: 'SKU-10001', name: expect.any(String) } },
      });
    }
    expect(late.error).toBe('ECONNREFUSED');
    expect(exitCode).toBe(0);
  });

  it('so does a BFF', async () => {
    const port = await getAvailablePort();
    const bff = spawnNode(['--conditions=source', '--import', 'tsx', 'bff-mobile/src/main.ts'], {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      GATEWAY_URL: stack.gatewayUrl,
    });
    await waitForOk(`http://127.0.0.1:${port}/ready`, 60_000);
    const { outcomes, late, exitCode } = await underLoad(
      bff,
      `http://127.0.0.1:${port}/m/v1/products/SKU-10001`,
      { method: 'GET' },
    );
    for (const outcome of outcomes) {
      expect(outcome.error, bff.output.slice(-5).join('\n')).toBeUndefined();
      expect(outcome.status).toBe(200);
      expect(JSON.parse(outcome.body as string)).toMatchObject({ sku: 'SKU-10001' });
    }
    expect(late.error).toBe('ECONNREFUSED');
    expect(exitCode).toBe(0);
  });
});
