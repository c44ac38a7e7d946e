import { createRequire } from 'node:module';

/**
 * `@apollo/federation-internals` is CommonJS compiled by TypeScript: its
 * index re-exports every submodule through a getter per name
 * (`__createBinding`), one shared function doing a keyed load that V8 cannot
 * specialise. `@apollo/gateway` reads a function through it for every call it
 * makes (`federation_internals_1.assert(...)`, `isNonNullType`, ...), many
 * per field and item of every response it shapes: about 5% of the gateway's
 * CPU on the 50-order operation (docs/BENCHMARKS.md).
 *
 * This puts a plain object with the same values in the module cache in place
 * of the getters, so that `@apollo/gateway`, loaded next, reads data
 * properties. The values are the very same functions, classes and
 * constants: the package assigns each export once, when it loads (its enums
 * too), so a getter and a snapshot of it cannot disagree. Anything loaded
 * earlier keeps the original object, which stays correct. When the package
 * no longer has that shape (no longer CommonJS, or an export with a
 * setter), nothing is changed.
 *
 * Returns whether the cached exports were replaced.
 */
export function flattenFederationInternalsExports(): boolean {
  // Resolved from @apollo/gateway, so this is the copy it will load.
  const fromGateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
  const id = fromGateway.resolve('@apollo/federation-internals');
  const exported = fromGateway(id) as Record<string, unknown>;
  const cached = fromGateway.cache[id];
  if (!cached || cached.exports !== exported) return false;
  const flat: Record<string, unknown> = { __esModule: true };
  for (const name of Object.keys(exported)) {
    // A setter would mean a binding meant to change: leave such a package alone.
    if (Object.getOwnPropertyDescriptor(exported, name)?.set) return false;
    flat[name] = exported[name];
  }
  cached.exports = flat;
  return true;
}

flattenFederationInternalsExports();
