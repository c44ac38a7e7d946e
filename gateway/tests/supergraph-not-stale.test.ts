import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { composeSupergraph } from '../src/supergraph/composeSupergraph.js';
import { readSupergraphConfig } from '../src/supergraph/supergraphConfig.js';

// CI's "is the committed supergraph stale?" check (as `rover supergraph
// compose` + diff would be): production serves supergraph.graphql, so it must
// be exactly what supergraph.yaml and the subgraph schemas compose to today.
const supergraphYaml = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));
const committedSupergraph = fileURLToPath(new URL('../../supergraph.graphql', import.meta.url));

describe('the committed supergraph.graphql', () => {
  it('is byte for byte what supergraph.yaml composes to', () => {
    const { supergraphSdl } = composeSupergraph(readSupergraphConfig(supergraphYaml));
    const committed = readFileSync(committedSupergraph, 'utf8');
    expect(
      committed === supergraphSdl,
      'supergraph.graphql is stale: run `npm run compose` and commit the result',
    ).toBe(true);
  });
});
