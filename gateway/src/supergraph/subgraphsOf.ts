import { Kind, parse, valueFromASTUntyped } from 'graphql';

/** The subgraphs a supergraph routes to, read from its `join__Graph` enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const document = parse(supergraphSdl);
  const graphEnum = document.definitions.find(
    (d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph',
  );
  if (!graphEnum || graphEnum.kind !== Kind.ENUM_TYPE_DEFINITION) return [];
  return (graphEnum.values ?? []).flatMap((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const args = Object.fromEntries(
      (directive?.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
    ) as { name?: unknown; url?: unknown };
    return typeof args.name === 'string' && typeof args.url === 'string'
      ? [{ name: args.name, url: args.url }]
      : [];
  });
}
