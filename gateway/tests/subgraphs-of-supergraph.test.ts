import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { subgraphsOf } from '../src/supergraph/subgraphsOf.js';

const committedSupergraph = fileURLToPath(new URL('../../supergraph.graphql', import.meta.url));

describe('subgraphsOf', () => {
  it('reads the name and URL of every subgraph of the committed supergraph', () => {
    expect(subgraphsOf(readFileSync(committedSupergraph, 'utf8'))).toEqual([
      { name: 'crm', url: 'http://127.0.0.1:4102/graphql' },
      { name: 'erp', url: 'http://127.0.0.1:4101/graphql' },
      { name: 'inventory', url: 'http://127.0.0.1:4103/graphql' },
    ]);
  });

  it('finds no subgraph in a schema without a join__Graph enum', () => {
    expect(subgraphsOf('type Query { a: Int }')).toEqual([]);
  });

  it('skips a join__Graph value whose directive lacks a url', () => {
    const sdl = `
      directive @join__graph(name: String!, url: String!) on ENUM_VALUE
      enum join__Graph {
        A @join__graph(name: "a", url: "http://a.test/graphql")
        B @join__graph(name: "b")
        C
      }
      type Query { a: Int }
    `;
    expect(subgraphsOf(sdl)).toEqual([{ name: 'a', url: 'http://a.test/graphql' }]);
  });
});
