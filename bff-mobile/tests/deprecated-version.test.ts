import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';

import type { RunningHttpServer } from '@bff/core';
import { postGraphQL, startStack } from '@bff/testing';
import type { Stack } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { get, json, keysOf } from './httpGet.js';
import type { Answer } from './httpGet.js';
import { startMobile } from './startMobile.js';

// /m/v0, deprecated, through the whole stack: the product card as app
// releases before v1 render it, from the same trusted document, saying on
// every answer that it is deprecated, when it goes, and what replaces it.

/** RFC 9745's structured-field date: `@` and Unix seconds. */
const defaultDeprecation = `@${Date.UTC(2026, 8, 1) / 1000}`;
/** RFC 8594's HTTP-date, IMF-fixdate. */
const defaultSunset = 'Wed, 30 Jun 2027 00:00:00 GMT';
const imfFixdate =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const deprecationHeadersOf = (answer: Answer) => ({
  deprecation: answer.headers.deprecation,
  sunset: answer.headers.sunset,
  link: answer.headers.link,
});

describe('bff-mobile /m/v0, deprecated', () => {
  let stack: Stack;
  let bff: RunningHttpServer;
  let sku: string;
  beforeAll(async () => {
    stack = await startStack();
    bff = await startMobile(stack.gatewayUrl);
    const found = await postGraphQL(
      stack.gatewayUrl,
      { query: '{ products(first: 1) { nodes { sku } } }' },
      stack.fullAccess,
    );
    sku = (found.body.data as { products: { nodes: { sku: string }[] } }).products.nodes[0]!.sku;
  });
  afterAll(async () => {
    await bff?.close();
    await stack?.close();
  });

  const v0 = (path = sku) => `${bff.url}/m/v0/products/${encodeURIComponent(path)}`;
  const v1 = (path = sku) => `${bff.url}/m/v1/products/${encodeURIComponent(path)}`;
  const headersFor = (path = sku) => ({
    deprecation: defaultDeprecation,
    sunset: defaultSunset,
    link: `</m/v1/products/${encodeURIComponent(path)}>; rel="successor-version"`,
  });

  it('renders the old card: price as its display string, stock as the available count', async () => {
    const answer = await get(v0());
    expect(answer.status).toBe(200);
    const body = json(answer);
    expect(keysOf(body)).toEqual(['name', 'price', 'sku', 'stock']);
    const current = json(await get(v1())) as {
      name: string;
      price: { display: string };
      available: number;
    };
    expect(body).toEqual({
      sku,
      name: current.name,
      price: current.price.display,
      stock: current.available,
    });
    expect(body.price).toMatch(/^[€$£]\d/);
    expect(answer.headers['cache-control']).toBe('private, no-cache');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('says Deprecation (@unix seconds), Sunset (IMF-fixdate) and its successor', async () => {
    const answer = await get(v0());
    expect(deprecationHeadersOf(answer)).toEqual(headersFor());
    expect(answer.headers.deprecation).toMatch(/^@\d+$/);
    expect(answer.headers.sunset).toMatch(imfFixdate);
    const successor = await get(`${bff.url}/m/v1/products/${sku}`);
    expect(successor.status).toBe(200);
  });

  it('has a strong ETag and answers 304, still deprecated, when it matches', async () => {
    const first = await get(v0());
    const etag = first.headers.etag as string;
    expect(etag).toBe(`"${createHash('sha256').update(first.raw).digest('hex')}"`);
    expect(etag).not.toBe((await get(v1())).headers.etag);
    const again = await get(v0(), { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(deprecationHeadersOf(again)).toEqual(headersFor());
  });

  it('is compressed like any screen', async () => {
    const plain = await get(v0());
    const br = await get(v0(), { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.raw).equals(plain.raw)).toBe(true);
    expect(deprecationHeadersOf(br)).toEqual(headersFor());
  });

  it('says so on its errors too: an unknown SKU is a 404 in the error shape', async () => {
    const id = `v0-${Math.random().toString(36).slice(2)}`;
    const answer = await get(v0('NOPE-404'), { 'x-request-id': id });
    expect(answer.status).toBe(404);
    expect(json(answer)).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: expect.any(String),
        status: 404,
        details: { sku: 'NOPE-404' },
        request_id: id,
      },
    });
    expect(deprecationHeadersOf(answer)).toEqual(headersFor('NOPE-404'));
  });

  it('keeps a SKU that is not one out of the Link header: 400, the successor percent-encoded', async () => {
    const answer = await get(v0('a b>;c'));
    expect(answer.status).toBe(400);
    expect(json(answer)).toMatchObject({ error: { code: 'BAD_USER_INPUT', status: 400 } });
    expect(answer.headers.link).toBe('</m/v1/products/a%20b%3E%3Bc>; rel="successor-version"');
  });

  it('leaves v1 answers without Deprecation, Sunset or Link', async () => {
    for (const answer of [await get(v1()), await get(v1('NOPE-404'))])
      expect(deprecationHeadersOf(answer)).toEqual({
        deprecation: undefined,
        sunset: undefined,
        link: undefined,
      });
  });

  describe('after its sunset', () => {
    it('answers 410 in the error shape when the configured sunset has passed', async () => {
      const retired = await startMobile(stack.gatewayUrl, {
        V0_DEPRECATED_AT: '2020-01-01',
        V0_SUNSET_AT: '2021-03-31T12:00:00Z',
      });
      try {
        const id = `sunset-${Math.random().toString(36).slice(2)}`;
        const answer = await get(`${retired.url}/m/v0/products/${sku}`, { 'x-request-id': id });
        expect(answer.status).toBe(410);
        expect(json(answer)).toEqual({
          error: {
            code: 'VERSION_RETIRED',
            message: expect.stringContaining('Wed, 31 Mar 2021 12:00:00 GMT'),
            status: 410,
            details: {
              version: 'v0',
              sunset: '2021-03-31T12:00:00.000Z',
              successor: `/m/v1/products/${sku}`,
            },
            request_id: id,
          },
        });
        expect(answer.headers['cache-control']).toBe('no-store');
        expect(deprecationHeadersOf(answer)).toEqual({
          deprecation: `@${Date.UTC(2020, 0, 1) / 1000}`,
          sunset: 'Wed, 31 Mar 2021 12:00:00 GMT',
          link: `</m/v1/products/${sku}>; rel="successor-version"`,
        });
        expect((await get(`${retired.url}/m/v1/products/${sku}`)).status).toBe(200);
      } finally {
        await retired.close();
      }
    });

    it('turns 410 at the sunset instant, by its clock', async () => {
      let now = new Date(Date.UTC(2027, 5, 30) - 1);
      const clocked = await startMobile(stack.gatewayUrl, {}, { now: () => now });
      try {
        const url = `${clocked.url}/m/v0/products/${sku}`;
        expect((await get(url)).status).toBe(200);
        now = new Date(Date.UTC(2027, 5, 30));
        const gone = await get(url);
        expect(gone.status).toBe(410);
        expect(deprecationHeadersOf(gone)).toEqual(headersFor());
      } finally {
        await clocked.close();
      }
    });
  });
});
