/** Who is calling: every request resolves to one consumer. */
export type ConsumerClass = 'anonymous' | 'authenticated' | 'partner' | 'internal';

export const consumerClasses: readonly ConsumerClass[] = [
  'anonymous',
  'authenticated',
  'partner',
  'internal',
];

export interface Consumer {
  /** The user (JWT `sub`), partner or service id; 'anonymous' for no credentials. */
  readonly id: string;
  readonly class: ConsumerClass;
  readonly scopes: ReadonlySet<string>;
}

export const anonymousConsumer: Consumer = Object.freeze({
  id: 'anonymous',
  class: 'anonymous',
  scopes: new Set<string>(),
});

/**
 * What a field or type requires: an authenticated caller, and for each
 * `@requiresScopes` that applies, one of its groups of scopes (an OR of AND
 * groups). All applicable requirements must hold.
 */
export interface AccessRequirement {
  authenticated: boolean;
  /** One entry per @requiresScopes in force; each is an OR of AND groups. */
  scopeSets: readonly (readonly (readonly string[])[])[];
}

export const noRequirement: AccessRequirement = Object.freeze({
  authenticated: false,
  scopeSets: [],
});

export function isRestricted(requirement: AccessRequirement): boolean {
  return requirement.authenticated || requirement.scopeSets.length > 0;
}

/** Both requirements at once. */
export function combine(a: AccessRequirement, b: AccessRequirement): AccessRequirement {
  if (!isRestricted(b)) return a;
  if (!isRestricted(a)) return b;
  return {
    authenticated: a.authenticated || b.authenticated,
    scopeSets: [...a.scopeSets, ...b.scopeSets],
  };
}

/**
 * Apollo Router's semantics: @authenticated needs any non-anonymous caller;
 * @requiresScopes([[a, b], [c]]) is met by holding a and b, or c. An empty
 * list of groups is met by anyone.
 */
export function satisfies(consumer: Consumer, requirement: AccessRequirement): boolean {
  if (requirement.authenticated && consumer.class === 'anonymous') return false;
  return requirement.scopeSets.every(
    (groups) =>
      groups.length === 0 ||
      groups.some((group) => group.every((scope) => consumer.scopes.has(scope))),
  );
}
