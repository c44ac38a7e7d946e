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
  for (const hint of hints) process.stderr.write(`hint: ${hint}\n`);
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(committedSupergraphPath, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (committed !== supergraphSdl) {
      process.stderr.write(
        'supergraph.graphql is stale: run `npm run compose` and commit the result\n',
      );
      process.exit(1);
    }
    process.stdout.write('supergraph.graphql is up to date\n');
  } else {
    writeFileSync(committedSupergraphPath, supergraphSdl);
    process.stdout.write(`wrote ${committedSupergraphPath}\n`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
