import { noTracing } from '@bff/core';
import type { TraceSpan, Tracing } from '@bff/core';
import { Agent, request } from 'undici';

import type { TrustedDocument } from '../trustedDocuments.js';

/** How a BFF names itself to the gateway (`apollographql-client-name`/`-version`). */
export interface ClientIdentity {
  name: string;
  version: string;
}

export interface GatewayClientOptions {
  /** The gateway's /graphql URL. */
  url: string;
  clientName: string;
  clientVersion: string;
  /** Deadline of one request, headers and body together. */
  timeoutMs: number;
  /** @default 64 */
  maxConnections?: number;
  /** A client span per gateway request, child of the user's request. @default off */
  tracing?: Tracing;
}

/** What the end user's request passes on to the gateway. */
export interface CallerContext {
  /** The BFF's own request id, sent as x-request-id. */
  requestId: string;
  /** The end user's `authorization` header, forwarded as is. */
  authorization?: string | undefined;
  traceparent?: string | undefined;
  /**
   * The end user's address, as the BFF sees it (through its own trusted
   * proxy, if any), sent as X-Forwarded-For: the gateway, trusting the BFF
   * as a proxy, gives each anonymous user their own rate-limit bucket
   * instead of one for the whole BFF.
   */
  clientAddress?: string | undefined;
}

export interface GatewayError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; retryAfterSeconds?: number; [key: string]: unknown };
}

/** The gateway's answer, or why there was none. */
export type GatewayResult =
  | {
      kind: 'answer';
      status: number;
      retryAfter: string | undefined;
      data: Record<string, unknown> | null | undefined;
      errors: readonly GatewayError[];
    }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'timeout' }
  | { kind: 'bad-answer'; status: number };

/** The gateway's answer to a passed-through request, to be relayed as it is. */
export interface RelayedAnswer {
  status: number;
  /** The headers worth relaying: content type, rate limits, Retry-After. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What a span records of a gateway result that is not an answer. */
function failureOf(result: GatewayResult): { error: string } | undefined {
  if (result.kind === 'timeout') return { error: 'UPSTREAM_TIMEOUT' };
  if (result.kind === 'unreachable' || result.kind === 'bad-answer')
    return { error: 'UPSTREAM_UNAVAILABLE' };
  return undefined;
}

/** Gateway response headers a passed-through answer keeps. */
const relayedHeaders = [
  'content-type',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/**
 * The BFF's one way to the gateway, over one keep-alive pool: its own
 * trusted documents run by id (`documentId: "sha256:<hex>"`), never by text,
 * and (bff-web's `/graphql`) the signed-in user's own requests relayed.
 */
export class GatewayClient {
  private readonly agent: Agent;
  private readonly ownIdentity: ClientIdentity;
  readonly healthUrl: string;

  constructor(private readonly options: GatewayClientOptions) {
    this.agent = new Agent({
      connections: options.maxConnections ?? 64,
      keepAliveTimeout: 10_000,
    });
    this.healthUrl = new URL('/health', options.url).toString();
    this.ownIdentity = { name: options.clientName, version: options.clientVersion };
  }

  /** Runs one of the BFF's trusted documents, in a client span named after it. */
  async execute(
    document: TrustedDocument,
    variables: Record<string, unknown>,
    caller: CallerContext,
  ): Promise<GatewayResult> {
    const span = this.startSpan(`gateway ${document.name}`, caller);
    const result = await this.executeIn(document, variables, {
      ...caller,
      traceparent: span.traceparent,
    });
    span.end(failureOf(result));
    return result;
  }

  private async executeIn(
    document: TrustedDocument,
    variables: Record<string, unknown>,
    caller: CallerContext,
  ): Promise<GatewayResult> {
    const body = JSON.stringify({ documentId: `sha256:${document.id}`, variables });
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.post(body, caller, this.ownIdentity, signal);
      const text = await response.body.text();
      if (response.statusCode >= 500) return { kind: 'bad-answer', status: response.statusCode };
      let parsed: { data?: Record<string, unknown> | null; errors?: GatewayError[] };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        return { kind: 'bad-answer', status: response.statusCode };
      }
      const retryAfter = response.headers['retry-after'];
      return {
        kind: 'answer',
        status: response.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        data: parsed.data,
        errors: Array.isArray(parsed.errors) ? parsed.errors : [],
      };
    } catch (error) {
      if (signal.aborted) return { kind: 'timeout' };
      return {
        kind: 'unreachable',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /**
   * Sends a GraphQL request body as the caller wrote it and hands back the
   * gateway's answer to relay unchanged: the gateway's guards, not the BFF,
   * judge a free-form operation. `client` is who the operation comes from.
   */
  async relay(
    body: string,
    caller: CallerContext,
    client: ClientIdentity,
  ): Promise<RelayedAnswer | Exclude<GatewayResult, { kind: 'answer' }>> {
    const span = this.startSpan('gateway relay', caller);
    const answer = await this.relayIn(body, { ...caller, traceparent: span.traceparent }, client);
    span.end('kind' in answer ? failureOf(answer) : undefined);
    return answer;
  }

  private startSpan(name: string, caller: CallerContext): TraceSpan {
    return (this.options.tracing ?? noTracing).startSpan(name, {
      kind: 'client',
      parent: caller.traceparent,
    });
  }

  private async relayIn(
    body: string,
    caller: CallerContext,
    client: ClientIdentity,
  ): Promise<RelayedAnswer | Exclude<GatewayResult, { kind: 'answer' }>> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.post(body, caller, client, signal);
      const answer = Buffer.from(await response.body.arrayBuffer());
      if (response.statusCode >= 500) return { kind: 'bad-answer', status: response.statusCode };
      const headers: Record<string, string> = {};
      for (const name of relayedHeaders) {
        const value = response.headers[name];
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.statusCode, headers, body: answer };
    } catch (error) {
      if (signal.aborted) return { kind: 'timeout' };
      return {
        kind: 'unreachable',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private post(body: string, caller: CallerContext, client: ClientIdentity, signal: AbortSignal) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'apollographql-client-name': client.name,
      'apollographql-client-version': client.version,
      'x-request-id': caller.requestId,
    };
    if (caller.authorization) headers.authorization = caller.authorization;
    if (caller.traceparent) headers.traceparent = caller.traceparent;
    if (caller.clientAddress) headers['x-forwarded-for'] = caller.clientAddress;
    return request(this.options.url, {
      method: 'POST',
      dispatcher: this.agent,
      headers,
      body,
      signal,
    });
  }

  /** Resolves when the gateway's /health answers 200 (for /ready). */
  async checkHealth(): Promise<void> {
    const response = await request(this.healthUrl, {
      dispatcher: this.agent,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    await response.body.dump();
    if (response.statusCode !== 200)
      throw new Error(`gateway /health answered ${response.statusCode}`);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
