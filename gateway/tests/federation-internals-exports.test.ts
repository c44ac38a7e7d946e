import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

import { flattenFederationInternalsExports } from '../src/federationInternalsExports.js';

const fromGateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));

describe('flattenFederationInternalsExports', () => {
  it("gives @apollo/gateway federation-internals' exports as data properties with the same values", () => {
    const submodule = fromGateway('@apollo/federation-internals/dist/utils') as Record<
      string,
      unknown
    >;
    expect(flattenFederationInternalsExports()).toBe(true);
    const exported = fromGateway('@apollo/federation-internals') as Record<string, unknown>;
    const binding = Object.getOwnPropertyDescriptor(exported, 'assert');
    expect(binding).toHaveProperty('value');
    expect(binding?.get).toBeUndefined();
    expect(exported.assert).toBe(submodule.assert);
    expect(exported.__esModule).toBe(true);
  });

  it('keeps every export', () => {
    const before = Object.keys(fromGateway('@apollo/federation-internals') as object).sort();
    flattenFederationInternalsExports();
    const after = Object.keys(fromGateway('@apollo/federation-internals') as object).filter(
      (name) => name !== '__esModule',
    );
    expect(after.sort()).toEqual(before.filter((name) => name !== '__esModule'));
    expect(after.length).toBeGreaterThan(100);
  });
});
