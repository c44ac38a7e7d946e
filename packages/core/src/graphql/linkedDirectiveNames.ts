import { Kind, valueFromASTUntyped } from 'graphql';
import type { DocumentNode } from 'graphql';

/**
 * The names a schema's `@link`s give the directives of some specs, keyed by
 * each directive's own name in its spec (`authenticated`, `cost`, `listSize`).
 */
export type LinkedDirectiveNames<Directive extends string> = Record<Directive, Set<string>>;

/**
 * Which names the given directives go by in a schema, from its `@link`s.
 * `specs` maps each directive to the URL prefix of the spec that defines it,
 * up to the version (`https://specs.apollo.dev/cost/`); one spec may define
 * several directives. Read:
 * - on a spec link (a composed supergraph): the name an `import` gives the
 *   directive; else, for the directive named like the spec, the link's name
 *   (`as:`, else the spec's); else `<link name>__<directive>`;
 * - on a federation link (a subgraph), which re-exports these directives:
 *   `<as or "federation">__<directive>` (usable without importing) and the
 *   imported name, renamed or not.
 * A schema that links none of the specs, nor federation, is plain SDL: the
 * directives go by their own names.
 */
export function linkedDirectiveNames<Directive extends string>(
  document: DocumentNode,
  specs: Readonly<Record<Directive, string>>,
): LinkedDirectiveNames<Directive> {
  const directives = Object.keys(specs) as Directive[];
  const names = Object.fromEntries(directives.map((d) => [d, new Set<string>()])) as Record<
    Directive,
    Set<string>
  >;
  let linked = false;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION)
      continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = Object.fromEntries(
        (link.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
      ) as { url?: unknown; as?: unknown; import?: unknown };
      const url = typeof args.url === 'string' ? args.url : '';
      const as = typeof args.as === 'string' ? args.as : undefined;
      const imported = importedNames(args.import);
      for (const directive of directives) {
        const spec = specs[directive];
        if (url.startsWith(spec)) {
          linked = true;
          const linkName = as ?? specName(spec);
          names[directive].add(
            imported.get(directive) ??
              (directive === specName(spec) ? linkName : `${linkName}__${directive}`),
          );
        }
        if (url.includes('specs.apollo.dev/federation/')) {
          linked = true;
          names[directive].add(`${as ?? 'federation'}__${directive}`);
          const name = imported.get(directive);
          if (name) names[directive].add(name);
        }
      }
    }
  }
  if (!linked) for (const directive of directives) names[directive].add(directive);
  return names;
}

/** `https://specs.apollo.dev/cost/` → `cost`: a link's default name is its spec's. */
function specName(specUrlPrefix: string): string {
  return specUrlPrefix.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** `import: ["@a", { name: "@b", as: "@c" }]` as a map from a and b to the names they go by. */
function importedNames(value: unknown): Map<string, string> {
  const result = new Map<string, string>();
  for (const entry of Array.isArray(value) ? (value as unknown[]) : []) {
    if (typeof entry === 'string') result.set(entry.replace(/^@/, ''), entry.replace(/^@/, ''));
    else if (entry && typeof entry === 'object' && 'name' in entry) {
      const { name, as } = entry as { name: unknown; as?: unknown };
      if (typeof name !== 'string') continue;
      result.set(name.replace(/^@/, ''), (typeof as === 'string' ? as : name).replace(/^@/, ''));
    }
  }
  return result;
}
