import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readSupergraphConfig, SupergraphConfigError } from '../src/supergraph/supergraphConfig.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const supergraphYaml = join(repoRoot, 'supergraph.yaml');

describe('readSupergraphConfig', () => {
  it('reads the repository supergraph.yaml with schema paths resolved next to it', () => {
    expect(readSupergraphConfig(supergraphYaml)).toEqual({
      federationVersion: '=2.14.4',
      subgraphs: [
        {
          name: 'erp',
          routingUrl: 'http://127.0.0.1:4101/graphql',
          schemaFile: join(repoRoot, 'subgraphs/erp/schema.graphql'),
        },
        {
          name: 'crm',
          routingUrl: 'http://127.0.0.1:4102/graphql',
          schemaFile: join(repoRoot, 'subgraphs/crm/schema.graphql'),
        },
        {
          name: 'inventory',
          routingUrl: 'http://127.0.0.1:4103/graphql',
          schemaFile: join(repoRoot, 'subgraphs/inventory/schema.graphql'),
        },
      ],
    });
  });

  describe('with files of its own', () => {
    let dir: string;

    beforeAll(() => {
      dir = join(tmpdir(), `gateway-supergraph-config-${randomBytes(6).toString('hex')}`);
      mkdirSync(dir);
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    /** Writes `text` to a fresh file in the temp folder and returns its path. */
    function yamlFile(text: string): string {
      const path = join(dir, `${randomBytes(4).toString('hex')}.yaml`);
      writeFileSync(path, text);
      return path;
    }

    function errorOf(path: string): SupergraphConfigError {
      try {
        readSupergraphConfig(path);
      } catch (error) {
        expect(error).toBeInstanceOf(SupergraphConfigError);
        return error as SupergraphConfigError;
      }
      throw new Error(`readSupergraphConfig(${path}) did not throw`);
    }

    it('resolves a schema path relative to the yaml file, not the working directory', () => {
      mkdirSync(join(dir, 'nested'), { recursive: true });
      const path = join(dir, 'nested', 'supergraph.yaml');
      writeFileSync(
        path,
        [
          'federation_version: 2',
          'subgraphs:',
          '  billing_v2:',
          '    routing_url: https://billing.internal:8443/graphql?x=1',
          '    schema:',
          '      file: ../schemas/billing.graphql',
        ].join('\n'),
      );
      expect(readSupergraphConfig(path)).toEqual({
        federationVersion: '2',
        subgraphs: [
          {
            name: 'billing_v2',
            routingUrl: 'https://billing.internal:8443/graphql?x=1',
            schemaFile: join(dir, 'schemas', 'billing.graphql'),
          },
        ],
      });
    });

    it('rejects a file that is not valid YAML, naming the file', () => {
      const path = yamlFile('subgraphs: [\n  erp: : broken\n');
      const error = errorOf(path);
      expect(error.message).toContain(`${path} is not valid YAML`);
      expect(error.message).toContain('line 2');
    });

    it('rejects a missing file, naming it', () => {
      const path = join(dir, 'does-not-exist.yaml');
      expect(errorOf(path).message).toContain(`cannot read supergraph config ${path}`);
    });

    it('rejects a config without subgraphs, naming the file and `subgraphs`', () => {
      const path = yamlFile('federation_version: 2\n');
      expect(errorOf(path).message).toMatch(
        new RegExp(`^${escapeRegExp(path)} is not a valid supergraph config:\n {2}- subgraphs: `),
      );
    });

    it('rejects an empty subgraphs map', () => {
      const path = yamlFile('subgraphs: {}\n');
      expect(errorOf(path).message).toBe(
        `${path} is not a valid supergraph config:\n  - subgraphs: at least one subgraph is required`,
      );
    });

    it.each(['/graphql', 'localhost:4101/graphql', 'ftp://erp.test/graphql'])(
      'rejects the routing_url %j, naming the subgraph field',
      (url) => {
        const path = yamlFile(
          `subgraphs:\n  erp:\n    routing_url: ${url}\n    schema:\n      file: erp.graphql\n`,
        );
        expect(errorOf(path).message).toBe(
          `${path} is not a valid supergraph config:\n` +
            '  - subgraphs.erp.routing_url: routing_url must be an absolute URL',
        );
      },
    );

    it('rejects a subgraph without schema, naming subgraphs.<name>.schema', () => {
      const path = yamlFile('subgraphs:\n  crm:\n    routing_url: http://127.0.0.1:1/graphql\n');
      expect(errorOf(path).message).toBe(
        `${path} is not a valid supergraph config:\n  - subgraphs.crm.schema: schema.file is required`,
      );
    });

    it('rejects a schema without file, naming subgraphs.<name>.schema.file', () => {
      const path = yamlFile(
        'subgraphs:\n  crm:\n    routing_url: http://127.0.0.1:1/graphql\n    schema: {}\n',
      );
      const message = errorOf(path).message;
      expect(message).toContain(`${path} is not a valid supergraph config:`);
      expect(message).toContain('  - subgraphs.crm.schema.file: ');
    });

    it.each(['Erp', '1erp', 'erp.v2', 'erp v2'])(
      'rejects the subgraph name %j, naming it',
      (name) => {
        const path = yamlFile(
          `subgraphs:\n  "${name}":\n    routing_url: http://127.0.0.1:1/graphql\n    schema:\n      file: a.graphql\n`,
        );
        const message = errorOf(path).message;
        expect(message).toContain(`${path} is not a valid supergraph config:`);
        expect(message).toContain(`  - subgraphs.${name}: `);
      },
    );

    it('reports every problem of the file in one error', () => {
      const path = yamlFile(
        [
          'subgraphs:',
          '  erp:',
          '    routing_url: not-a-url',
          '    schema:',
          '      file: erp.graphql',
          '  crm:',
          '    routing_url: http://127.0.0.1:1/graphql',
        ].join('\n'),
      );
      const message = errorOf(path).message;
      expect(message).toContain('  - subgraphs.erp.routing_url: ');
      expect(message).toContain('  - subgraphs.crm.schema: ');
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
