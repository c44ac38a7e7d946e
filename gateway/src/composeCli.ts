// `npm run compose`: writes the composed supergraph.graphql that production
// deployments ship (SUPERGRAPH_PATH). `--check` only verifies it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

import { composeSupergraph } from './supergraph/composeSupergraph.js';
import { readSupergraphConfig } from './supergraph/supergraphConfig.js';

export const committedSupergraphPath = fileURLToPath(
  new URL('../../supergraph.graphql', import.meta.url),
);
const configPath = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));

try {
  const { supergraphSdl, hints } = composeSupergraph(readSupergraphConfig(configPath));
  for (const hint of hints) console.warn(`hint: ${hint}`);
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(committedSupergraphPath, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== supergraphSdl) {
      console.error('supergraph.graphql is stale: run `npm run compose` and commit the result');
      process.exit(1);
    }
    console.log('supergraph.graphql is up to date');
  } else {
    writeFileSync(committedSupergraphPath, supergraphSdl);
    console.log(`wrote ${committedSupergraphPath}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
