import type { Logger } from '@bff/core';

/** Per-request context of the gateway: what every plugin and subgraph fetch may read. */
export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** W3C trace context from the caller, passed on to subgraphs. */
  traceparent?: string;
}
