import { Kind, parse, print, visit } from 'graphql';

/**
 * @apollo/gateway refuses a supergraph whose @link features are `for:
 * SECURITY` (it cannot enforce them; we do, before it plans). It gets the
 * same supergraph with that purpose dropped from those links; the
 * directives' metadata is read from the original by readAccessRequirements.
 */
export function withoutSecurityPurpose(supergraphSdl: string): string {
  let changed = false;
  const document = visit(parse(supergraphSdl), {
    Directive(node) {
      if (node.name.value !== 'link') return undefined;
      const purpose = node.arguments?.find((a) => a.name.value === 'for');
      if (!purpose || purpose.value.kind !== Kind.ENUM || purpose.value.value !== 'SECURITY')
        return undefined;
      changed = true;
      return { ...node, arguments: node.arguments?.filter((a) => a !== purpose) };
    },
  });
  return changed ? print(document) : supergraphSdl;
}
