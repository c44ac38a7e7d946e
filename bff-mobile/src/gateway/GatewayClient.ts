import { Agent, request } from 'undici';

import type { TrustedDocument } from '../trustedDocuments.js';

export interface GatewayClientOptions {
  /** The gateway's /graphql URL. */
  url: string;
  clientName: string;
  clientVersion: string;
  /** Deadline of one request, headers and body together. */
  timeoutMs: number;
  /** @default 64 */
  maxConnections?: number;
}

/** What the end user's request passes on to the gateway. */
export interface CallerContext {
  /** The BFF's own request id, sent as x-request-id. */
  requestId: string;
  /** The end user's `authorization` header, forwarded as is. */
  authorization?: string | undefined;
  traceparent?: string | undefined;
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

/**
 * Runs trusted documents on the gateway by id (`documentId: "sha256:<hex>"`),
 * never by text, over one keep-alive pool.
 */
export class GatewayClient {
  private readonly agent: Agent;
  readonly healthUrl: string;

  constructor(private readonly options: GatewayClientOptions) {
    this.agent = new Agent({
      connections: options.maxConnections ?? 64,
      keepAliveTimeout: 10_000,
    });
    this.healthUrl = new URL('/health', options.url).toString();
  }

  async execute(
    document: TrustedDocument,
    variables: Record<string, unknown>,
    caller: CallerContext,
  ): Promise<GatewayResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'apollographql-client-name': this.options.clientName,
      'apollographql-client-version': this.options.clientVersion,
      'x-request-id': caller.requestId,
    };
    if (caller.authorization) headers.authorization = caller.authorization;
    if (caller.traceparent) headers.traceparent = caller.traceparent;
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await request(this.options.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers,
        body: JSON.stringify({ documentId: `sha256:${document.id}`, variables }),
        signal,
      });
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
