import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

import { negotiate } from '@bff/bff-kit';
import type { Request, RequestHandler, Response } from 'express';

/** The options of Yoga's renderGraphiQL this page sets. */
interface GraphiQLOptions {
  title: string;
  endpoint: string;
  method: 'POST';
  /** fetch's `credentials`: 'same-origin' sends the session cookie. */
  credentials: 'same-origin';
  defaultQuery: string;
}

// Loaded by a name TypeScript does not follow: the package's typings import
// graphql-yoga's, whose program-wide augmentation of GraphQLErrorExtensions
// (`http.headers` as a plain record) breaks Apollo Server's HeaderMap in the
// gateway's type check.
const renderGraphiqlModule: string = '@graphql-yoga/render-graphiql';

/** The explorer page in each encoding, made once: it never changes while the process runs. */
interface ExplorerPage {
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/**
 * `GET /graphql`: GraphiQL (The Guild's build, as GraphQL Yoga serves it),
 * every script and style inlined in one page, so it works where there is no
 * CDN. It queries `/graphql` on this origin with the session cookie. The
 * page is about 9 MB (2 MB with brotli): it is compressed once, on first
 * request and off the event loop, and the browser revalidates it by ETag.
 */
export function explorerHandler(options: { title: string; endpoint: string }): RequestHandler {
  let building: Promise<ExplorerPage> | undefined;
  return async (req: Request, res: Response) => {
    building ??= buildPage(options);
    const page = await building;
    res.setHeader('etag', page.etag);
    res.setHeader('cache-control', 'private, no-cache');
    res.setHeader('vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === page.etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    const encoding = negotiate(req.headers['accept-encoding']);
    if (encoding !== 'identity') res.setHeader('content-encoding', encoding);
    const body = encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.identity;
    res.setHeader('content-length', body.length);
    res.status(200).end(body);
  };
}

async function buildPage(options: { title: string; endpoint: string }): Promise<ExplorerPage> {
  const { renderGraphiQL } = (await import(renderGraphiqlModule)) as {
    renderGraphiQL: (options: GraphiQLOptions) => string;
  };
  const html = renderGraphiQL({
    title: options.title,
    endpoint: options.endpoint,
    method: 'POST',
    credentials: 'same-origin',
    defaultQuery:
      '# Signed in through POST /session, you query the whole graph here.\n{\n  products(first: 5) {\n    nodes { sku name inStock }\n  }\n}\n',
  });
  const identity = Buffer.from(html);
  const [gzipped, brotli] = await Promise.all([
    promisify(gzip)(identity),
    promisify(brotliCompress)(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  return {
    etag: `"${createHash('sha256').update(identity).digest('base64url')}"`,
    identity,
    gzip: gzipped,
    br: brotli,
  };
}
