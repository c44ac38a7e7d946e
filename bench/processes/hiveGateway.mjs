// Bench process: Hive Gateway (The Guild) with default settings, serving the
// same supergraph file; DEDUPLICATE=on|off switches its in-flight request
// deduplication towards subgraphs. It enforces no authorization; it sends the
// subgraphs the signed identity the harness gave it (SUBGRAPH_IDENTITY).
// Plain JavaScript, run by plain Node.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import process from 'node:process';

import { createGatewayRuntime } from '@graphql-hive/gateway';

const gateway = createGatewayRuntime({
  supergraph: readFileSync(process.env.SUPERGRAPH_PATH ?? '', 'utf8'),
  propagateHeaders: {
    fromClientToSubgraphs: () => ({ 'x-consumer-identity': process.env.SUBGRAPH_IDENTITY ?? '' }),
  },
  transportEntries: {
    '*': { options: { deduplicateInflightRequests: process.env.DEDUPLICATE === 'on' } },
  },
});
const server = createServer(gateway);
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void Promise.resolve(gateway.dispose()).then(() => process.exit(0));
});
