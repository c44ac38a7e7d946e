import type { IncomingMessage, ServerResponse } from 'node:http';

import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext } from '@apollo/server';

import { ErrorCode } from '../errors.js';
import type { ErrorCode as Code } from '../errors.js';
import { markGraphQLRequest, measureGraphQLRequest } from '../metrics/requestMetrics.js';

export interface GraphQLHttpHandlerOptions<C extends BaseContext> {
  /** Largest request body accepted; larger is a 413 PAYLOAD_TOO_LARGE. */
  maxBodyBytes: number;
  /** Builds the request's context; `req.id` and `req.log` are set by then. */
  context: (req: IncomingMessage, res: ServerResponse) => Promise<C>;
}

/**
 * Serves GraphQL over node:http straight into Apollo Server
 * (`executeHTTPGraphQLRequest`), the job `@as-integrations/express5` does
 * behind express's router and body parser. On the hot path of every service
 * that work is measurable: the gateway spent about a third less CPU per
 * small operation without it (docs/BENCHMARKS.md). Express keeps the other
 * routes (/health, /ready).
 *
 * Rejections before Apollo runs (a body too large, JSON that does not parse)
 * answer in GraphQL's error shape with a code and the request id.
 */
export function graphqlHttpHandler<C extends BaseContext>(
  apollo: ApolloServer<C>,
  options: GraphQLHttpHandlerOptions<C>,
): (req: IncomingMessage, res: ServerResponse) => void {
  apollo.assertStarted('graphqlHttpHandler()');
  return (req, res) => {
    markGraphQLRequest(req);
    handle(apollo, options, req, res).catch((error: unknown) => {
      // The access-log line already says "request aborted".
      if (error instanceof ClientWentAway) return;
      req.log.error({ err: error }, 'unhandled error in the GraphQL handler');
      if (!res.headersSent)
        sendError(req, res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      else res.destroy();
    });
  };
}

async function handle<C extends BaseContext>(
  apollo: ApolloServer<C>,
  options: GraphQLHttpHandlerOptions<C>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req, options.maxBodyBytes);
  if (raw === 'too large') {
    sendError(
      req,
      res,
      413,
      ErrorCode.PAYLOAD_TOO_LARGE,
      `The request body is larger than the ${options.maxBodyBytes} bytes allowed.`,
    );
    return;
  }
  let body: unknown;
  if (raw.length > 0 && isJson(req.headers['content-type'])) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      sendError(
        req,
        res,
        400,
        ErrorCode.BAD_REQUEST,
        `The request body is not valid JSON: ${(error as Error).message}.`,
      );
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: q === -1 ? '' : url.slice(q),
      body,
    },
    // Tied to the request for operationMetricsPlugin, which sees only the context.
    context: async () => measureGraphQLRequest(req, await options.context(req, res)),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * The body, or 'too large' as soon as it passes the limit. The rest is not
 * read (the stream is paused, and the 413 closes the connection); breaking
 * out of an async iteration instead would destroy the socket before the
 * answer could be sent.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle(() => resolve('too large'));
      } else chunks.push(chunk);
    };
    const onEnd = () =>
      settle(() =>
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)),
      );
    const onClose = () => settle(() => reject(new ClientWentAway()));
    const onError = (error: Error) => settle(() => reject(error));
    function settle(outcome: () => void) {
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
      outcome();
    }
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
  });
}

class ClientWentAway extends Error {
  constructor() {
    super('the client closed the connection before sending the whole request');
  }
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: Code,
  message: string,
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // A body we stopped reading: close the connection rather than drain it.
  if (status === 413) res.setHeader('connection', 'close');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, requestId: req.id } }] }));
}
