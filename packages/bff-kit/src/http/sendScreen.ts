import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { addLogFields } from '@bff/core';
import type { Request, Response } from 'express';

import type { ApiError } from './ApiError.js';

type Encoding = 'br' | 'gzip' | 'identity';

/**
 * Answers a screen's payload: a strong ETag (the quoted SHA-256 of the JSON),
 * 304 with no body when `If-None-Match` has it, brotli or gzip by
 * `Accept-Encoding`, and `Cache-Control: private, no-cache` (the payload is
 * the user's; the app keeps it and revalidates with the ETag every time).
 */
export function sendScreen(req: Request, res: Response, payload: unknown): void {
  const json = Buffer.from(JSON.stringify(payload));
  const etag = `"${createHash('sha256').update(json).digest('hex')}"`;
  res.setHeader('cache-control', 'private, no-cache');
  res.setHeader('vary', 'Accept-Encoding, Authorization');
  res.setHeader('etag', etag);
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('content-type', 'application/json; charset=utf-8');
  sendEncoded(req, res, 200, json);
}

/**
 * `{ "error": { code, message, status, details, request_id } }`, compressed
 * like any answer; the code goes on the access line as `errorCodes`.
 */
export function sendError(req: Request, res: Response, error: ApiError): void {
  addLogFields(res, { errorCodes: [error.code] });
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('vary', 'Accept-Encoding');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  const body = {
    error: {
      code: error.code,
      message: error.message,
      status: error.status,
      details: error.details,
      request_id: req.id,
    },
  };
  sendEncoded(req, res, error.status, Buffer.from(JSON.stringify(body)));
}

/**
 * Sends `body` brotli- or gzip-compressed as `Accept-Encoding` allows, with
 * its Content-Length; the caller sets the other headers.
 */
export function sendEncoded(req: Request, res: Response, status: number, body: Buffer): void {
  const encoding = negotiate(req.headers['accept-encoding']);
  const encoded =
    encoding === 'br'
      ? brotliCompressSync(body, {
          params: {
            // Small JSON: a mid quality compresses about as well as 11, far faster.
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : encoding === 'gzip'
        ? gzipSync(body)
        : body;
  if (encoding !== 'identity') res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', encoded.length);
  res.status(status).end(encoded);
}

/** br over gzip when both are acceptable; a coding with q=0 is refused. */
export function negotiate(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
