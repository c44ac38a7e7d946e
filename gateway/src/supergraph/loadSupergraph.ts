import { readFileSync } from 'node:fs';

import type { Logger } from '@bff/core';

import type { GatewayConfig } from '../config.js';
import { composeSupergraph } from './composeSupergraph.js';
import { readSupergraphConfig } from './supergraphConfig.js';

/**
 * The supergraph SDL the gateway serves: the composed artifact at
 * SUPERGRAPH_PATH when given (production), otherwise composed at start from
 * SUPERGRAPH_CONFIG with any SUBGRAPH_<NAME>_URL overrides.
 */
export function loadSupergraph(config: GatewayConfig, logger: Logger): string {
  if (config.SUPERGRAPH_PATH !== undefined) {
    logger.info({ path: config.SUPERGRAPH_PATH }, 'serving composed supergraph');
    return readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  }
  const composed = composeSupergraph(
    readSupergraphConfig(config.SUPERGRAPH_CONFIG),
    config.subgraphUrlOverrides,
  );
  for (const hint of composed.hints) logger.debug({ hint }, 'composition hint');
  logger.info(
    { config: config.SUPERGRAPH_CONFIG, overrides: config.subgraphUrlOverrides },
    'composed supergraph',
  );
  return composed.supergraphSdl;
}
