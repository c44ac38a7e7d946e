import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, startBff, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What each client pays on the wire for the same data, as each BFF sends it
// (its own gzip, Content-Length): the mobile order detail against the web
// order page for the same order, and a 20-order mobile feed page. The figures
// are in the README; these bounds keep them true.

async function gzippedBytes(url: string, headers: Record<string, string>): Promise<number> {
  const response = await request(url, { headers: { ...headers, 'accept-encoding': 'gzip' } });
  const body = Buffer.from(await response.body.arrayBuffer());
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-encoding']).toBe('gzip');
  return body.length;
}

describe('BFF payload sizes, gzipped', () => {
  let stack: Stack;
  let mobile: RunningHttpServer;
  let web: RunningHttpServer;
  let bearer: Record<string, string>;
  let cookie: Record<string, string>;
  let orderIds: string[];
  beforeAll(async () => {
    stack = await startStack();
    mobile = await startBff('bff-mobile', stack.gatewayUrl);
    web = await startBff('bff-web', stack.gatewayUrl);
    // The same user on both: personal data and the account, as a sales rep.
    const token = await stack.credentials.token({
      sub: 'sam',
      scopes: ['crm:pii', 'finance:read'],
    });
    bearer = { authorization: `Bearer ${token}` };
    const signIn = await request(`${web.url}/session`, { method: 'POST', headers: bearer });
    await signIn.body.dump();
    cookie = { cookie: [signIn.headers['set-cookie']].flat()[0]!.split(';')[0]! };
    const found = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ orders(first: 20) { nodes { id } } }' },
      stack.fullAccess,
    );
    orderIds = (found.body.data as { orders: { nodes: { id: string }[] } }).orders.nodes.map(
      (o) => o.id,
    );
  });
  afterAll(async () => {
    await mobile?.close();
    await web?.close();
    await stack?.close();
  });

  it('the mobile order detail is at most a third of the web order page, for every one of the 20 newest orders', async () => {
    const rows: { id: string; mobile: number; web: number }[] = [];
    for (const id of orderIds) {
      rows.push({
        id,
        mobile: await gzippedBytes(`${mobile.url}/m/v1/orders/${id}`, bearer),
        web: await gzippedBytes(`${web.url}/pages/orders/${id}`, cookie),
      });
    }
    const ratios = rows.map((r) => r.mobile / r.web);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    process.stdout.write(
      `order ${rows[0]!.id}: mobile ${rows[0]!.mobile} B, web ${rows[0]!.web} B (${ratios[0]!.toFixed(2)}); ` +
        `20 orders: mobile median ${median(rows.map((r) => r.mobile))} B, web median ${median(rows.map((r) => r.web))} B, ` +
        `ratio max ${Math.max(...ratios).toFixed(2)}\n`,
    );
    for (const row of rows) expect(row.mobile * 3, `order ${row.id}`).toBeLessThanOrEqual(row.web);
  });

  it('a 20-order mobile feed page is under 4 KB', async () => {
    const bytes = await gzippedBytes(`${mobile.url}/m/v1/orders?limit=20`, bearer);
    process.stdout.write(`mobile feed, 20 orders: ${bytes} B\n`);
    expect(bytes).toBeLessThan(4096);
  });
});
