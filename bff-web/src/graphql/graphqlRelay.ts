import { callerOf, sendEncoded } from '@bff/bff-kit';
import { addLogFields, ErrorCode, errorCodesOf } from '@bff/core';
import type { Request, RequestHandler, Response } from 'express';
import express from 'express';

import type { GatewayClient } from '@bff/bff-kit';

/** What `/graphql` needs to pass a request on. */
export interface GraphqlRelayOptions {
  gateway: GatewayClient;
  /** apollographql-client-name of the web app's own operations. */
  webClientName: string;
  maxBodyBytes: number;
}

/**
 * `POST /graphql`: the web app's own GraphQL request, passed to the gateway
 * as it was written, with the signed-in user's token; the gateway's guards
 * (limits, cost, authorization, rate limit) judge it, and its answer comes
 * back unchanged. It is GraphQL over HTTP, so what goes wrong on the way is
 * answered as GraphQL errors (`errors[].extensions.code`), which GraphQL
 * clients read, rather than the screens' `{ error }`.
 *
 * Only `application/json` bodies are taken: a cross-site page cannot send
 * one without a CORS preflight, which this BFF never grants, so the session
 * cookie cannot be ridden from another site (with SameSite=Lax as well).
 */
export function graphqlRelay(options: GraphqlRelayOptions): RequestHandler[] {
  const body = express.raw({ type: () => true, limit: options.maxBodyBytes });
  const relay = async (req: Request, res: Response): Promise<void> => {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/(json|graphql-response\+json)\b/i.test(contentType)) {
      sendGraphqlError(
        req,
        res,
        415,
        ErrorCode.BAD_REQUEST,
        'POST /graphql takes a JSON body: Content-Type: application/json.',
      );
      return;
    }
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const version = req.headers['apollographql-client-version'];
    const client = {
      name: options.webClientName,
      version: typeof version === 'string' && version !== '' ? version.slice(0, 64) : 'unknown',
    };
    addLogFields(res, { clientName: client.name, clientVersion: client.version });
    const answer = await options.gateway.relay(text, callerOf(req), client);
    if ('kind' in answer) {
      if (answer.kind === 'timeout') {
        sendGraphqlError(
          req,
          res,
          503,
          ErrorCode.UPSTREAM_TIMEOUT,
          'The gateway did not answer in time.',
        );
      } else {
        req.log.error({ gateway: answer }, 'gateway failed');
        sendGraphqlError(
          req,
          res,
          502,
          ErrorCode.UPSTREAM_UNAVAILABLE,
          'The gateway is unavailable.',
        );
      }
      return;
    }
    const errorCodes = errorCodesIn(answer.body);
    if (errorCodes) addLogFields(res, { errorCodes });
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('vary', 'Accept-Encoding, Cookie');
    sendEncoded(req, res, answer.status, answer.body);
  };
  return [body, relay];
}

/**
 * The error codes of a relayed answer, for the access line. Only an answer
 * that mentions errors is parsed: the others, most of them, cost one scan.
 */
function errorCodesIn(body: Buffer): string[] | undefined {
  if (!body.includes('"errors"')) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    return Array.isArray(parsed.errors)
      ? errorCodesOf(parsed.errors as { extensions?: Record<string, unknown> }[])
      : undefined;
  } catch {
    return undefined;
  }
}

function sendGraphqlError(
  req: Request,
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
): void {
  addLogFields(res, { errorCodes: [code] });
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  const payload = { errors: [{ message, extensions: { code, request_id: req.id } }] };
  sendEncoded(req, res, status, Buffer.from(JSON.stringify(payload)));
}
