import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CompositionError, composeSupergraph } from '../src/supergraph/composeSupergraph.js';
import { subgraphsOf } from '../src/supergraph/subgraphsOf.js';
import { readSupergraphConfig } from '../src/supergraph/supergraphConfig.js';
import type { SupergraphConfig } from '../src/supergraph/supergraphConfig.js';

const supergraphYaml = fileURLToPath(new URL('../../supergraph.yaml', import.meta.url));
const installedComposition = (
  createRequire(import.meta.url)('@apollo/composition/package.json') as { version: string }
).version;

const federationLink =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

function compositionErrorOf(run: () => unknown): CompositionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CompositionError);
    return error as CompositionError;
  }
  throw new Error('composition did not fail');
}

describe('composeSupergraph with the repository supergraph.yaml', () => {
  it('replaces the routing URL of each overridden subgraph in join__graph', () => {
    const { supergraphSdl } = composeSupergraph(readSupergraphConfig(supergraphYaml), {
      erp: 'http://erp.test:9001/graphql',
      inventory: 'https://inventory.test/api/graphql',
    });
    expect(subgraphsOf(supergraphSdl)).toEqual([
      { name: 'crm', url: 'http://127.0.0.1:4102/graphql' },
      { name: 'erp', url: 'http://erp.test:9001/graphql' },
      { name: 'inventory', url: 'https://inventory.test/api/graphql' },
    ]);
    expect(supergraphSdl).toContain(
      'ERP @join__graph(name: "erp", url: "http://erp.test:9001/graphql")',
    );
    expect(supergraphSdl).not.toContain('127.0.0.1:4101');
    expect(supergraphSdl).not.toContain('127.0.0.1:4103');
  });

  it('refuses an override that names no subgraph', () => {
    const error = compositionErrorOf(() =>
      composeSupergraph(readSupergraphConfig(supergraphYaml), {
        erp: 'http://erp.test/graphql',
        billing: 'http://billing.test/graphql',
      }),
    );
    expect(error.problems).toEqual([
      'a URL override names "billing", which is not a subgraph (erp, crm, inventory)',
    ]);
    expect(error.message).toBe(
      'supergraph composition failed:\n' +
        '  - a URL override names "billing", which is not a subgraph (erp, crm, inventory)',
    );
  });
});

describe('composeSupergraph with schemas of its own', () => {
  let dir: string;

  beforeAll(() => {
    dir = join(tmpdir(), `gateway-compose-${randomBytes(6).toString('hex')}`);
    mkdirSync(dir);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A config over SDL texts written to temp files, one subgraph per entry. */
  function configOf(
    sdlByName: Record<string, string>,
    federationVersion: string | undefined = '2',
  ): SupergraphConfig {
    return {
      federationVersion,
      subgraphs: Object.entries(sdlByName).map(([name, sdl], index) => {
        const schemaFile = join(dir, `${name}-${randomBytes(4).toString('hex')}.graphql`);
        writeFileSync(schemaFile, sdl);
        return { name, routingUrl: `http://127.0.0.1:${9000 + index}/graphql`, schemaFile };
      }),
    };
  }

  const thingSdl = (root: string) =>
    `${federationLink}\ntype Query {\n  ${root}: Thing\n}\ntype Thing {\n  name: String\n}\n`;

  it('composes two compatible subgraphs and routes each root field to its owner', () => {
    const { supergraphSdl } = composeSupergraph(
      configOf({
        alpha: `${federationLink}\ntype Query { one: Thing }\ntype Thing @key(fields: "id") { id: ID! name: String }\n`,
        beta: `${federationLink}\ntype Query { two: Int }\ntype Thing @key(fields: "id") { id: ID! size: Int }\n`,
      }),
    );
    expect(supergraphSdl).toContain('one: Thing @join__field(graph: ALPHA)');
    expect(supergraphSdl).toContain('two: Int @join__field(graph: BETA)');
    expect(subgraphsOf(supergraphSdl).map((s) => s.name)).toEqual(['alpha', 'beta']);
  });

  it('names the subgraph, the file and the line of a syntax error', () => {
    const config = configOf({
      alpha: thingSdl('one'),
      beta: `${federationLink}\ntype Query {\n  two: Int\n  three:\n}\n`,
    });
    const betaFile = config.subgraphs[1]?.schemaFile;
    const error = compositionErrorOf(() => composeSupergraph(config));
    expect(error.problems).toEqual([
      `[beta] ${betaFile}: ERROR: Syntax Error: Expected Name, found "}". (line 5, column 1)`,
    ]);
  });

  it('reports a missing schema file by subgraph', () => {
    const config = configOf({ alpha: thingSdl('one') });
    const missing = join(dir, 'missing.graphql');
    const error = compositionErrorOf(() =>
      composeSupergraph({
        ...config,
        subgraphs: [
          { name: 'ghost', routingUrl: 'http://127.0.0.1:1/graphql', schemaFile: missing },
        ],
      }),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`[ghost] cannot read ${missing}: `);
  });

  it('fails on a non-shareable field defined by two subgraphs, naming the code and both', () => {
    const error = compositionErrorOf(() =>
      composeSupergraph(configOf({ alpha: thingSdl('one'), beta: thingSdl('two') })),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^INVALID_FIELD_SHARING: Non-shareable field "Thing.name" /);
    expect(error.problems[0]).toContain('"Thing.name"');
    expect(error.problems[0]).toContain('"alpha"');
    expect(error.problems[0]).toContain('"beta"');
    expect(error.message).toContain('supergraph composition failed:\n  - INVALID_FIELD_SHARING: ');
  });

  it('accepts the same field in both once it is @shareable', () => {
    const shared = (root: string) =>
      `${federationLink}\ntype Query { ${root}: Thing }\ntype Thing @shareable { name: String }\n`;
    const { supergraphSdl } = composeSupergraph(
      configOf({ alpha: shared('one'), beta: shared('two') }),
    );
    expect(supergraphSdl).toContain('@join__type(graph: ALPHA)');
    expect(supergraphSdl).toContain('@join__type(graph: BETA)');
  });

  it('refuses federation_version =2.0.0, naming the installed composition version', () => {
    const error = compositionErrorOf(() =>
      composeSupergraph(configOf({ alpha: thingSdl('one') }, '=2.0.0')),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain('federation_version =2.0.0');
    expect(error.problems[0]).toContain(`@apollo/composition ${installedComposition} is installed`);
    expect(error.problems[0]).toContain(
      `set federation_version to =${installedComposition} (or 2)`,
    );
  });

  it.each(['2', `=${installedComposition}`, undefined])(
    'accepts federation_version %s',
    (version) => {
      const { supergraphSdl } = composeSupergraph(configOf({ alpha: thingSdl('one') }, version));
      expect(subgraphsOf(supergraphSdl)).toEqual([
        { name: 'alpha', url: 'http://127.0.0.1:9000/graphql' },
      ]);
    },
  );
});
