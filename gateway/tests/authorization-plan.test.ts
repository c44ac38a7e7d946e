import {
  anonymousConsumer,
  combine,
  ErrorCode,
  noRequirement,
  readAccessRequirements,
  satisfies,
} from '@bff/core';
import type { AccessRequirement, Consumer } from '@bff/core';
import { buildSchema, executeSync, getOperationAST, parse, print, validate } from 'graphql';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';

import { applyAuthorization } from '../src/authorization/applyAuthorization.js';
import { conditionalVariables, planAuthorization } from '../src/authorization/planAuthorization.js';
import type { AuthorizationPlan } from '../src/authorization/planAuthorization.js';

// One SDL serves both: the API schema the gateway validates and executes
// against (the directive usages are inert there), and the document
// readAccessRequirements reads @authenticated/@requiresScopes from.
const sdl = /* GraphQL */ `
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @requiresScopes(
    scopes: [[String!]!]!
  ) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM

  type Query {
    publicInfo: String
    me: User
    user(id: ID!): User
    users: [User!]!
    team: Team
    nodes: [Node!]
    search: [SearchResult!]!
    priced: [Priced!]!
    matrix: [[Cell!]!]
    grid: [[StrictCell!]]
    orders: [Order]
    vault: Vault
    license: String! @requiresScopes(scopes: [["admin"]])
    report: String @requiresScopes(scopes: [["a", "b"], ["c"]])
  }

  type Mutation {
    ping: String
    deleteUser(id: ID!): Boolean @requiresScopes(scopes: [["users:write"]])
  }

  interface Node {
    id: ID!
  }

  type User implements Node {
    id: ID!
    name: String!
    email: String @authenticated
    ssn: String @requiresScopes(scopes: [["pii"]])
    salary: Int! @requiresScopes(scopes: [["hr"]])
    profile: Profile
  }

  type Profile {
    bio: String
    phone: String @requiresScopes(scopes: [["pii"]])
  }

  type Team {
    name: String
    members: [User!]!
  }

  type Secret implements Node @authenticated {
    id: ID!
    text: String
  }

  type Article {
    title: String
    clearance: Clearance
  }

  enum Clearance @authenticated {
    PUBLIC
    RESTRICTED
  }

  union SearchResult = User | Secret | Article

  interface Priced {
    sku: String!
    price: Float
  }

  type Product implements Priced {
    sku: String!
    price: Float @requiresScopes(scopes: [["finance"]])
  }

  type Service implements Priced {
    sku: String!
    price: Float
  }

  type Cell {
    value: Int
    hidden: Int @requiresScopes(scopes: [["cells"]])
  }

  type StrictCell {
    value: Int
    hidden: Int! @requiresScopes(scopes: [["cells"]])
  }

  type Order {
    id: ID!
    lines: [Line!]!
  }

  type Line {
    sku: String!
    unitCost: Float! @requiresScopes(scopes: [["finance"]])
  }

  type Vault @requiresScopes(scopes: [["vault"]]) {
    code: String
  }
`;

const schema = buildSchema(sdl);
const requirements = readAccessRequirements(parse(sdl));

// What the subgraphs hold: every field, protected or not. The default
// resolvers read plain properties; abstract types resolve by `__typename`.
const ada = {
  __typename: 'User',
  id: 'u1',
  name: 'Ada',
  email: 'ada@example.com',
  ssn: '111-11-1111',
  salary: 100,
  profile: { bio: 'Engineer', phone: '555-0101' },
};
const bob = {
  __typename: 'User',
  id: 'u2',
  name: 'Bob',
  email: 'bob@example.com',
  ssn: '222-22-2222',
  salary: 90,
  profile: { bio: 'Designer', phone: '555-0102' },
};
const secret = { __typename: 'Secret', id: 's1', text: 'classified' };
const article = { __typename: 'Article', title: 'Release notes', clearance: 'PUBLIC' };

/** Ids passed to Mutation.deleteUser: a removed field must never reach its resolver. */
const deleted: string[] = [];

const rootValue = {
  publicInfo: 'hello',
  me: ada,
  user: ({ id }: { id: string }) => [ada, bob].find((u) => u.id === id) ?? null,
  users: [ada, bob],
  team: { name: 'Core', members: [ada, bob] },
  nodes: [ada, secret, bob],
  search: [ada, secret, article],
  priced: [
    { __typename: 'Product', sku: 'P1', price: 10 },
    { __typename: 'Service', sku: 'S1', price: 20 },
  ],
  matrix: [
    [
      { value: 1, hidden: -1 },
      { value: 2, hidden: -2 },
    ],
    [{ value: 3, hidden: -3 }],
  ],
  grid: [
    [
      { value: 1, hidden: -1 },
      { value: 2, hidden: -2 },
    ],
    [{ value: 3, hidden: -3 }],
  ],
  orders: [
    {
      id: 'o1',
      lines: [
        { sku: 'a', unitCost: 1 },
        { sku: 'b', unitCost: 2 },
      ],
    },
    {
      id: 'o2',
      lines: [
        { sku: 'c', unitCost: 3 },
        { sku: 'd', unitCost: 4 },
      ],
    },
  ],
  vault: { code: '1234' },
  license: 'MIT',
  report: 'Q3',
  ping: 'pong',
  deleteUser: ({ id }: { id: string }) => {
    deleted.push(id);
    return true;
  },
};

beforeEach(() => {
  deleted.length = 0;
});

const anonymous = anonymousConsumer;

function signedIn(...scopes: string[]): Consumer {
  return { id: 'user-1', class: 'authenticated', scopes: new Set(scopes) };
}

/** The error applyAuthorization reports for one refused field at one response path. */
function refused(coordinate: string, ...path: (string | number)[]): GraphQLFormattedError {
  return {
    message: `The caller may not read ${coordinate}.`,
    path,
    extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE },
  };
}

/** Canonical printing, to compare documents regardless of whitespace. */
function canonical(source: string): string {
  return print(parse(source));
}

interface Run {
  document: DocumentNode;
  plan: AuthorizationPlan;
  /** The filtered operation, printed. */
  filtered: string;
  data: Record<string, unknown> | null;
  errors: GraphQLFormattedError[];
}

/**
 * The gateway's path without a network: plan, execute the filtered document
 * in memory (the subgraphs' stand-in), then apply the plan to the response.
 * Every run checks that both the client's and the filtered document are valid.
 */
function run(source: string, consumer: Consumer, variables: Record<string, unknown> = {}): Run {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('the test document has no single operation');
  const plan = planAuthorization(schema, requirements, document, operation, variables, consumer);
  expect(validate(schema, plan.document).map((e) => e.message)).toEqual([]);
  expect(plan.document.definitions).toContain(plan.operation);
  const executed = executeSync({
    schema,
    document: plan.document,
    rootValue,
    variableValues: variables,
  });
  expect(executed.errors).toBeUndefined();
  // Through JSON, as the response arrives from the subgraphs (and to drop
  // graphql-js's null-prototype objects).
  const response = JSON.parse(JSON.stringify({ data: executed.data ?? null })) as Parameters<
    typeof applyAuthorization
  >[2];
  const { data, errors } = applyAuthorization(schema, plan, response);
  return { document, plan, filtered: print(plan.document), data, errors };
}

/** A run where nothing may be removed: the plan must hand back the very same objects. */
function expectUntouched(result: Run): void {
  expect(result.plan.document).toBe(result.document);
  expect(result.plan.operation).toBe(getOperationAST(result.document));
  expect(result.plan.removals).toEqual([]);
  expect(result.plan.addedTypenames).toEqual([]);
  expect(result.errors).toEqual([]);
}

describe('readAccessRequirements', () => {
  it('reads @authenticated and @requiresScopes on fields and on types', () => {
    expect(requirements.any).toBe(true);
    expect(requirements.ofField('User', 'email')).toEqual({ authenticated: true, scopeSets: [] });
    expect(requirements.ofField('User', 'ssn')).toEqual({
      authenticated: false,
      scopeSets: [[['pii']]],
    });
    expect(requirements.ofField('Query', 'report')).toEqual({
      authenticated: false,
      scopeSets: [[['a', 'b'], ['c']]],
    });
    expect(requirements.ofType('Secret')).toEqual({ authenticated: true, scopeSets: [] });
    expect(requirements.ofType('Vault')).toEqual({
      authenticated: false,
      scopeSets: [[['vault']]],
    });
  });

  it('answers noRequirement for what carries no directive or does not exist', () => {
    expect(requirements.ofField('User', 'name')).toBe(noRequirement);
    expect(requirements.ofType('User')).toBe(noRequirement);
    expect(requirements.ofField('Nope', 'nothing')).toBe(noRequirement);
    expect(requirements.ofType('Nope')).toBe(noRequirement);
  });

  it('says there is nothing to enforce when neither directive is used', () => {
    expect(readAccessRequirements(parse('type Query { a: String }')).any).toBe(false);
  });

  it('combines two directives on one field: both must hold', () => {
    const both = readAccessRequirements(
      parse(`
        directive @authenticated on FIELD_DEFINITION
        directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
        type Query { a: String @authenticated @requiresScopes(scopes: [["x"]]) }
      `),
    );
    expect(both.ofField('Query', 'a')).toEqual({ authenticated: true, scopeSets: [[['x']]] });
  });

  it('follows renames imported from the federation spec in a subgraph', () => {
    const renamed = readAccessRequirements(
      parse(`
        extend schema @link(
          url: "https://specs.apollo.dev/federation/v2.5"
          import: [{ name: "@requiresScopes", as: "@scopes" }, { name: "@authenticated", as: "@signedIn" }]
        )
        directive @scopes(scopes: [[String!]!]!) on FIELD_DEFINITION
        directive @signedIn on FIELD_DEFINITION | OBJECT
        directive @authenticated on FIELD_DEFINITION
        type Query {
          a: String @scopes(scopes: [["x"]])
          b: String @signedIn
          c: String @authenticated
        }
      `),
    );
    expect(renamed.ofField('Query', 'a')).toEqual({ authenticated: false, scopeSets: [[['x']]] });
    expect(renamed.ofField('Query', 'b')).toEqual({ authenticated: true, scopeSets: [] });
    // Once renamed, the original name is just some other directive.
    expect(renamed.ofField('Query', 'c')).toBe(noRequirement);
  });

  it('follows the `as:` of a supergraph @link to the spec itself', () => {
    const renamed = readAccessRequirements(
      parse(`
        schema
          @link(url: "https://specs.apollo.dev/link/v1.0")
          @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes")
          @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "auth") {
          query: Query
        }
        type Query {
          a: String @scopes(scopes: [["x"], ["y", "z"]])
          b: String @auth
        }
        type Hidden @auth { c: String }
      `),
    );
    expect(renamed.ofField('Query', 'a')).toEqual({
      authenticated: false,
      scopeSets: [[['x'], ['y', 'z']]],
    });
    expect(renamed.ofField('Query', 'b')).toEqual({ authenticated: true, scopeSets: [] });
    expect(renamed.ofType('Hidden')).toEqual({ authenticated: true, scopeSets: [] });
  });
});

describe('satisfies and combine', () => {
  const orOfAnd: AccessRequirement = { authenticated: false, scopeSets: [[['a', 'b'], ['c']]] };

  it('meets an OR of AND groups with all of one group', () => {
    expect(satisfies(signedIn('a', 'b'), orOfAnd)).toBe(true);
    expect(satisfies(signedIn('c'), orOfAnd)).toBe(true);
    expect(satisfies(signedIn('b', 'c'), orOfAnd)).toBe(true);
  });

  it('refuses part of a group', () => {
    expect(satisfies(signedIn('a'), orOfAnd)).toBe(false);
    expect(satisfies(signedIn('b'), orOfAnd)).toBe(false);
    expect(satisfies(signedIn(), orOfAnd)).toBe(false);
  });

  it('lets only non-anonymous callers through @authenticated', () => {
    const authenticated: AccessRequirement = { authenticated: true, scopeSets: [] };
    expect(satisfies(anonymous, authenticated)).toBe(false);
    expect(satisfies(signedIn(), authenticated)).toBe(true);
    expect(satisfies(anonymous, noRequirement)).toBe(true);
  });

  it('meets an empty list of groups by anyone, as Apollo Router does', () => {
    expect(satisfies(anonymous, { authenticated: false, scopeSets: [[]] })).toBe(true);
  });

  it('requires every combined requirement', () => {
    const both = combine(orOfAnd, { authenticated: true, scopeSets: [[['d']]] });
    expect(both).toEqual({ authenticated: true, scopeSets: [[['a', 'b'], ['c']], [['d']]] });
    expect(satisfies(signedIn('c', 'd'), both)).toBe(true);
    expect(satisfies(signedIn('c'), both)).toBe(false);
    expect(satisfies(signedIn('d'), both)).toBe(false);
    // Combining with nothing gives back the same requirement.
    expect(combine(orOfAnd, noRequirement)).toBe(orOfAnd);
    expect(combine(noRequirement, orOfAnd)).toBe(orOfAnd);
  });
});

describe('planAuthorization and applyAuthorization', () => {
  describe('when nothing is removed', () => {
    it('returns the very same document and operation, with no removals', () => {
      const result = run('{ publicInfo me { id name email } }', signedIn());
      expectUntouched(result);
      expect(result.data).toEqual({
        publicInfo: 'hello',
        me: { id: 'u1', name: 'Ada', email: 'ada@example.com' },
      });
    });

    it('keeps named fragments as they are (nothing to inline)', () => {
      const result = run(
        `
          query Q { me { ...Bits } }
          fragment Bits on User { name ssn }
        `,
        signedIn('pii'),
      );
      expectUntouched(result);
      expect(result.plan.document.definitions).toHaveLength(2);
      expect(result.data).toEqual({ me: { name: 'Ada', ssn: '111-11-1111' } });
    });

    it('leaves an operation of public fields alone even for an anonymous caller', () => {
      const result = run('{ publicInfo users { id name } }', anonymous);
      expectUntouched(result);
    });
  });

  describe('removing fields', () => {
    it('removes the field from the operation, returns it null with an error, and logs why', () => {
      const result = run('{ me { name ssn } }', signedIn());
      expect(result.filtered).toBe(canonical('{ me { name } }'));
      expect(result.plan.removals).toHaveLength(1);
      expect(result.plan.removals[0]).toMatchObject({
        coordinate: 'User.ssn',
        requirement: { authenticated: false, scopeSets: [[['pii']]] },
      });
      expect(result.plan.removals[0]?.steps.map((s) => s.key)).toEqual(['me', 'ssn']);
      expect(result.data).toEqual({ me: { name: 'Ada', ssn: null } });
      // The client learns what was refused, not which scope would have allowed it.
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });

    it('reports two aliases of one protected field at each alias', () => {
      const result = run('{ me { name first: ssn second: ssn } }', signedIn());
      expect(result.filtered).toBe(canonical('{ me { name } }'));
      expect(result.data).toEqual({ me: { name: 'Ada', first: null, second: null } });
      expect(result.errors).toEqual([
        refused('User.ssn', 'me', 'first'),
        refused('User.ssn', 'me', 'second'),
      ]);
    });

    it('uses aliases of enclosing fields in the path, with list indices', () => {
      const result = run('{ people: users { n: name s: ssn } }', signedIn());
      expect(result.data).toEqual({
        people: [
          { n: 'Ada', s: null },
          { n: 'Bob', s: null },
        ],
      });
      expect(result.errors).toEqual([
        refused('User.ssn', 'people', 0, 's'),
        refused('User.ssn', 'people', 1, 's'),
      ]);
    });

    it('reports nothing where the parent object is null', () => {
      // The error is per object that would have held the field: there is none.
      const result = run('{ user(id: "nobody") { name ssn } }', signedIn());
      expect(result.plan.removals).toHaveLength(1);
      expect(result.data).toEqual({ user: null });
      expect(result.errors).toEqual([]);
    });

    it('removes a field returning a protected enum', () => {
      const result = run('{ search { ... on Article { title clearance } } }', anonymous);
      expect(result.plan.removals.map((r) => r.coordinate)).toEqual(['Article.clearance']);
      expect(result.data).toEqual({
        search: [{}, {}, { title: 'Release notes', clearance: null }],
      });
      expect(result.errors).toEqual([refused('Article.clearance', 'search', 2, 'clearance')]);
      expect(run('{ search { ... on Article { clearance } } }', signedIn()).data).toEqual({
        search: [{}, {}, { clearance: 'PUBLIC' }],
      });
    });

    it('removes a field returning a type the consumer may not read', () => {
      const result = run('{ publicInfo vault { code } }', signedIn());
      expect(result.filtered).toBe(canonical('{ publicInfo }'));
      expect(result.data).toEqual({ publicInfo: 'hello', vault: null });
      expect(result.errors).toEqual([refused('Query.vault', 'vault')]);
      expectUntouched(run('{ publicInfo vault { code } }', signedIn('vault')));
    });
  });

  describe('@authenticated', () => {
    const query = '{ me { name email } }';

    it('refuses an anonymous caller', () => {
      const result = run(query, anonymous);
      expect(result.data).toEqual({ me: { name: 'Ada', email: null } });
      expect(result.errors).toEqual([refused('User.email', 'me', 'email')]);
    });

    it('lets any signed-in caller through, without scopes', () => {
      const result = run(query, signedIn());
      expectUntouched(result);
      expect(result.data).toEqual({ me: { name: 'Ada', email: 'ada@example.com' } });
    });

    it('refuses a signed-in caller what needs a scope on top', () => {
      const result = run('{ me { email ssn } }', signedIn());
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });
  });

  describe('@requiresScopes with an OR of AND groups', () => {
    it.each([[['a', 'b']], [['c']], [['b', 'c']], [['a', 'b', 'c']]])(
      'lets %j read it',
      (scopes) => {
        const result = run('{ publicInfo report }', signedIn(...scopes));
        expectUntouched(result);
        expect(result.data).toEqual({ publicInfo: 'hello', report: 'Q3' });
      },
    );

    it.each([[['a']], [['b']], [[]]])('refuses %j', (scopes) => {
      const result = run('{ publicInfo report }', signedIn(...scopes));
      expect(result.filtered).toBe(canonical('{ publicInfo }'));
      expect(result.data).toEqual({ publicInfo: 'hello', report: null });
      expect(result.errors).toEqual([refused('Query.report', 'report')]);
    });

    it('refuses an anonymous caller', () => {
      expect(run('{ report }', anonymous).errors).toEqual([refused('Query.report', 'report')]);
    });
  });

  describe('mutations', () => {
    it('never runs a refused root field, and runs the rest', () => {
      const result = run('mutation { ping deleteUser(id: "u1") }', signedIn());
      expect(result.filtered).toBe(canonical('mutation { ping }'));
      expect(deleted).toEqual([]);
      expect(result.data).toEqual({ ping: 'pong', deleteUser: null });
      expect(result.errors).toEqual([refused('Mutation.deleteUser', 'deleteUser')]);
    });

    it('runs it for a caller holding the scope', () => {
      const result = run('mutation { ping deleteUser(id: "u1") }', signedIn('users:write'));
      expectUntouched(result);
      expect(deleted).toEqual(['u1']);
      expect(result.data).toEqual({ ping: 'pong', deleteUser: true });
    });

    it('selects only __typename when every root field is refused', () => {
      const result = run('mutation { deleteUser(id: "u1") }', anonymous);
      expect(result.filtered).toBe(canonical('mutation { __authorizationTypename: __typename }'));
      expect(result.plan.addedTypenames).toEqual([[]]);
      expect(deleted).toEqual([]);
      expect(result.data).toEqual({ deleteUser: null });
      expect(result.errors).toEqual([refused('Mutation.deleteUser', 'deleteUser')]);
    });

    // A variable only a removed field used goes too: unused, it would make the document invalid.
    it('drops the definitions of variables only a removed field used', () => {
      const result = run('mutation Delete($id: ID!) { deleteUser(id: $id) }', anonymous, {
        id: 'u1',
      });
      expect(result.filtered).toBe(
        canonical('mutation Delete { __authorizationTypename: __typename }'),
      );
    });
  });

  describe('a root type the consumer may not read', () => {
    const lockedSdl = /* GraphQL */ `
      directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
      type Query {
        a: String
      }
      type Mutation @requiresScopes(scopes: [["admin"]]) {
        reset: Boolean
        purge: Int
      }
    `;
    const lockedSchema = buildSchema(lockedSdl);
    const locked = readAccessRequirements(parse(lockedSdl));

    it('refuses every root field and selects only __typename', () => {
      const document = parse('mutation { reset again: reset purge }');
      const operation = getOperationAST(document);
      if (!operation) throw new Error('no operation');
      const plan = planAuthorization(lockedSchema, locked, document, operation, {}, signedIn());
      expect(print(plan.document)).toBe(
        canonical('mutation { __authorizationTypename: __typename }'),
      );
      expect(validate(lockedSchema, plan.document)).toEqual([]);
      expect(plan.removals.map((r) => r.coordinate)).toEqual([
        'Mutation.reset',
        'Mutation.reset',
        'Mutation.purge',
      ]);
      const executed = executeSync({ schema: lockedSchema, document: plan.document });
      const response = JSON.parse(JSON.stringify({ data: executed.data })) as Parameters<
        typeof applyAuthorization
      >[2];
      expect(applyAuthorization(lockedSchema, plan, response)).toEqual({
        data: { reset: null, again: null, purge: null },
        errors: [
          refused('Mutation.reset', 'reset'),
          refused('Mutation.reset', 'again'),
          refused('Mutation.purge', 'purge'),
        ],
      });
    });

    it('leaves the operation alone for a caller holding the scope', () => {
      const document = parse('mutation { reset }');
      const operation = getOperationAST(document);
      if (!operation) throw new Error('no operation');
      const plan = planAuthorization(
        lockedSchema,
        locked,
        document,
        operation,
        {},
        signedIn('admin'),
      );
      expect(plan.document).toBe(document);
      expect(plan.removals).toEqual([]);
    });
  });

  describe('named fragments', () => {
    it('inlines fragments, nested ones too, into a document of one operation', () => {
      const result = run(
        `
          query Q { me { ...UserBits } }
          fragment UserBits on User { name ...Private }
          fragment Private on User { ssn email }
        `,
        signedIn(),
      );
      expect(result.plan.document.definitions).toHaveLength(1);
      expect(result.plan.document.definitions[0]).toBe(result.plan.operation);
      // The conditions are on User within a User: they always hold, so no
      // __typename is needed to tell objects apart.
      expect(result.filtered).toBe(
        canonical('query Q { me { ... on User { name ... on User { email } } } }'),
      );
      expect(result.data).toEqual({ me: { name: 'Ada', ssn: null, email: 'ada@example.com' } });
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });

    it('drops a fragment all of whose fields are removed', () => {
      const result = run(
        `
          query Q { users { name ...Private } }
          fragment Private on User { ssn s: ssn }
        `,
        signedIn(),
      );
      expect(result.filtered).toBe(canonical('query Q { users { name } }'));
      expect(result.data).toEqual({
        users: [
          { name: 'Ada', ssn: null, s: null },
          { name: 'Bob', ssn: null, s: null },
        ],
      });
      expect(result.errors).toEqual([
        refused('User.ssn', 'users', 0, 'ssn'),
        refused('User.ssn', 'users', 1, 'ssn'),
        refused('User.ssn', 'users', 0, 's'),
        refused('User.ssn', 'users', 1, 's'),
      ]);
    });

    it('inlines a fragment used in two places into both', () => {
      const result = run(
        `
          query Q { me { ...Bits } users { ...Bits } }
          fragment Bits on User { id ssn }
        `,
        signedIn(),
      );
      expect(result.plan.document.definitions).toHaveLength(1);
      expect(result.errors).toEqual([
        refused('User.ssn', 'me', 'ssn'),
        refused('User.ssn', 'users', 0, 'ssn'),
        refused('User.ssn', 'users', 1, 'ssn'),
      ]);
      expect(result.data).toEqual({
        me: { id: 'u1', ssn: null },
        users: [
          { id: 'u1', ssn: null },
          { id: 'u2', ssn: null },
        ],
      });
    });

    // A removal below a field of a type-conditioned fragment: the holder must say its type.
    it('reports a removal nested below a field of a named fragment', () => {
      const result = run(
        `
          query Q { me { ...WithProfile } }
          fragment WithProfile on User { name profile { bio phone } }
        `,
        signedIn(),
      );
      expect(result.data).toEqual({
        me: { name: 'Ada', profile: { bio: 'Engineer', phone: null } },
      });
      expect(result.errors).toEqual([refused('Profile.phone', 'me', 'profile', 'phone')]);
    });
  });

  describe('interfaces', () => {
    it('refuses a field only on the implementation that protects it', () => {
      const result = run(
        '{ priced { sku ... on Product { price } ... on Service { price } } }',
        signedIn(),
      );
      expect(result.filtered).toBe(
        canonical(
          '{ priced { __authorizationTypename: __typename sku ... on Service { price } } }',
        ),
      );
      expect(result.plan.addedTypenames.map((steps) => steps.map((s) => s.key))).toEqual([
        ['priced'],
      ]);
      // The added __typename is gone again; the Service object is untouched.
      expect(result.data).toEqual({
        priced: [
          { sku: 'P1', price: null },
          { sku: 'S1', price: 20 },
        ],
      });
      expect(result.errors).toEqual([refused('Product.price', 'priced', 0, 'price')]);
    });

    it('keeps the __typename the client asked for', () => {
      const result = run('{ priced { __typename sku ... on Product { price } } }', signedIn());
      expect(result.data).toEqual({
        priced: [
          { __typename: 'Product', sku: 'P1', price: null },
          { __typename: 'Service', sku: 'S1' },
        ],
      });
      expect(result.errors).toEqual([refused('Product.price', 'priced', 0, 'price')]);
    });

    it('adds __typename next to an aliased one, and removes only its own', () => {
      const result = run('{ priced { kind: __typename ... on Product { price } } }', signedIn());
      expect(result.filtered).toBe(
        canonical('{ priced { __authorizationTypename: __typename kind: __typename } }'),
      );
      expect(result.data).toEqual({
        priced: [{ kind: 'Product', price: null }, { kind: 'Service' }],
      });
      expect(result.errors).toEqual([refused('Product.price', 'priced', 0, 'price')]);
    });

    it('refuses a field on the interface if any implementation protects it', () => {
      const result = run('{ priced { sku price } }', signedIn());
      expect(result.filtered).toBe(canonical('{ priced { sku } }'));
      expect(result.plan.removals[0]?.requirement).toEqual({
        authenticated: false,
        scopeSets: [[['finance']]],
      });
      expect(result.data).toEqual({
        priced: [
          { sku: 'P1', price: null },
          { sku: 'S1', price: null },
        ],
      });
      expect(result.errors).toEqual([
        refused('Priced.price', 'priced', 0, 'price'),
        refused('Priced.price', 'priced', 1, 'price'),
      ]);
      expectUntouched(run('{ priced { sku price } }', signedIn('finance')));
    });

    it('refuses a fragment on an implementation the consumer may not read', () => {
      // Through fragments only: a field selected on Node directly would refuse `nodes` whole.
      const result = run('{ nodes { ... on User { id } ... on Secret { text } } }', anonymous);
      expect(result.filtered).toBe(
        canonical('{ nodes { __authorizationTypename: __typename ... on User { id } } }'),
      );
      expect(result.data).toEqual({ nodes: [{ id: 'u1' }, { text: null }, { id: 'u2' }] });
      expect(result.errors).toEqual([refused('Secret.text', 'nodes', 1, 'text')]);
    });

    it('refuses a field selected on the interface when any implementation type is unreadable', () => {
      // `id` of every Node would include the Secret's, which anonymous may not
      // read. Node.id is ID! and the items Node!: the null reaches the list.
      const result = run('{ publicInfo nodes { id } }', anonymous);
      expect(result.filtered).toBe(
        canonical('{ publicInfo nodes { __authorizationTypename: __typename } }'),
      );
      expect(result.data).toEqual({ publicInfo: 'hello', nodes: null });
      expect(result.errors).toEqual([refused('Node.id', 'nodes', 0, 'id')]);
      expectUntouched(run('{ publicInfo nodes { id } }', signedIn()));
    });

    it('allows the interface field through fragments on readable implementations', () => {
      const result = run('{ nodes { __typename ... on User { id } } }', anonymous);
      expectUntouched(result);
      expect(result.data).toEqual({
        nodes: [
          { __typename: 'User', id: 'u1' },
          { __typename: 'Secret' },
          { __typename: 'User', id: 'u2' },
        ],
      });
    });

    // A fragment on the interface itself (or without a type condition) is
    // the same selection as a direct one: it may resolve on a Secret too.
    it('refuses interface fields selected through a fragment on the interface', () => {
      for (const query of [
        '{ nodes { ... on Node { id } } }',
        '{ nodes { ... { id } } }',
        'query Q { nodes { ...N } } fragment N on Node { id }',
      ]) {
        const result = run(query, anonymous);
        expect(JSON.stringify(result.data)).not.toContain('s1');
        expect(result.data).toEqual({ nodes: null });
        expect(result.errors).toEqual([refused('Node.id', 'nodes', 0, 'id')]);
      }
    });

    // The plan's own __typename has an alias of its own, so the client's is never taken out.
    it('keeps a __typename the client asked for inside a fragment', () => {
      const result = run('{ priced { sku ... on Product { __typename price } } }', signedIn());
      expect(result.data).toEqual({
        priced: [{ sku: 'P1', __typename: 'Product', price: null }, { sku: 'S1' }],
      });
    });
  });

  describe('the same field selected twice', () => {
    // One response position selected twice (merged by GraphQL) is one error, as execution reports.
    it('reports a field selected twice under one key once', () => {
      const result = run('query Q { me { name ssn ...F } } fragment F on User { ssn }', signedIn());
      expect(result.data).toEqual({ me: { name: 'Ada', ssn: null } });
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });

    // Nor is a __typename asked for in another selection merged under the same key.
    it('keeps a __typename the client asked for in another selection of the field', () => {
      const result = run('{ me { __typename } me { ssn } }', signedIn());
      expect(result.data).toEqual({ me: { __typename: 'User', ssn: null } });
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });
  });

  describe('unions', () => {
    it('refuses a fragment on a member type the consumer may not read, for its objects only', () => {
      const result = run(
        '{ search { ... on User { name } ... on Secret { text } ... on Article { title } } }',
        anonymous,
      );
      expect(result.filtered).toBe(
        canonical(
          '{ search { __authorizationTypename: __typename ... on User { name } ... on Article { title } } }',
        ),
      );
      expect(result.data).toEqual({
        search: [{ name: 'Ada' }, { text: null }, { title: 'Release notes' }],
      });
      expect(result.errors).toEqual([refused('Secret.text', 'search', 1, 'text')]);
    });

    it('reads it for a signed-in caller', () => {
      const result = run('{ search { __typename ... on Secret { text } } }', signedIn());
      expectUntouched(result);
      expect(result.data).toEqual({
        search: [
          { __typename: 'User' },
          { __typename: 'Secret', text: 'classified' },
          { __typename: 'Article' },
        ],
      });
    });

    it('refuses a protected field of one member inside a fragment', () => {
      const result = run('{ search { __typename ... on User { name ssn } } }', signedIn());
      expect(result.data).toEqual({
        search: [
          { __typename: 'User', name: 'Ada', ssn: null },
          { __typename: 'Secret' },
          { __typename: 'Article' },
        ],
      });
      expect(result.errors).toEqual([refused('User.ssn', 'search', 0, 'ssn')]);
    });

    it('nulls the whole response for a refused non-null field in non-null list items', () => {
      // Secret.id is ID!, the item SearchResult!, the list non-null, and so is the root field.
      const result = run('{ publicInfo search { ... on Secret { id } } }', anonymous);
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([refused('Secret.id', 'search', 1, 'id')]);
    });

    // The same, through an inline fragment on a union member.
    it('reports a removal nested below a field of an inline fragment', () => {
      const result = run('{ search { ... on User { profile { phone } } } }', signedIn());
      expect(result.data).toEqual({ search: [{ profile: { phone: null } }, {}, {}] });
      expect(result.errors).toEqual([refused('Profile.phone', 'search', 0, 'profile', 'phone')]);
    });
  });

  describe('@skip and @include', () => {
    const includeQuery = `
      query Q($pii: Boolean!) { me { name @include(if: $pii) ssn @include(if: $pii) } }
    `;

    it('does not refuse a field the variables leave out', () => {
      const result = run(includeQuery, signedIn(), { pii: false });
      expectUntouched(result);
      expect(result.data).toEqual({ me: {} });
    });

    it('refuses it when the variables include it', () => {
      const result = run(includeQuery, signedIn(), { pii: true });
      expect(result.filtered).toBe(
        canonical('query Q($pii: Boolean!) { me { name @include(if: $pii) } }'),
      );
      expect(result.data).toEqual({ me: { name: 'Ada', ssn: null } });
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });

    it('evaluates literal conditions', () => {
      expectUntouched(run('{ me { name ssn @skip(if: true) } }', signedIn()));
      expectUntouched(run('{ me { name ssn @include(if: false) } }', signedIn()));
      expect(run('{ me { name ssn @skip(if: false) } }', signedIn()).errors).toEqual([
        refused('User.ssn', 'me', 'ssn'),
      ]);
    });

    it('requires both @skip and @include to let a field in', () => {
      const query =
        'query Q($s: Boolean!, $i: Boolean!) { me { name @skip(if: $s) @include(if: $i) ssn @skip(if: $s) @include(if: $i) } }';
      expectUntouched(run(query, signedIn(), { s: true, i: true }));
      expectUntouched(run(query, signedIn(), { s: false, i: false }));
      expect(run(query, signedIn(), { s: false, i: true }).errors).toEqual([
        refused('User.ssn', 'me', 'ssn'),
      ]);
    });

    describe('on a fragment spread', () => {
      const query = `
        query Q($more: Boolean!) { me { name ...Private @include(if: $more) email @include(if: $more) } }
        fragment Private on User { ssn }
      `;

      it('leaves the operation alone when the spread is left out', () => {
        const result = run(query, signedIn(), { more: false });
        expectUntouched(result);
        expect(result.data).toEqual({ me: { name: 'Ada' } });
      });

      it('refuses what the spread brings in when it is included', () => {
        const result = run(query, signedIn(), { more: true });
        expect(result.filtered).toBe(
          canonical('query Q($more: Boolean!) { me { name email @include(if: $more) } }'),
        );
        expect(result.data).toEqual({
          me: { name: 'Ada', ssn: null, email: 'ada@example.com' },
        });
        expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
      });
    });

    describe('on an inline fragment', () => {
      const query = `
        query Q($brief: Boolean!) { me { name @skip(if: $brief) ... @skip(if: $brief) { ssn } } }
      `;

      it('leaves the operation alone when the fragment is skipped', () => {
        expectUntouched(run(query, signedIn(), { brief: true }));
      });

      it('refuses what the fragment holds when it is not', () => {
        const result = run(query, signedIn(), { brief: false });
        expect(result.data).toEqual({ me: { name: 'Ada', ssn: null } });
        expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
      });
    });

    describe('with default values', () => {
      const query = `
        query Q($full: Boolean = true) { me { name @include(if: $full) ssn @include(if: $full) } }
      `;

      it('uses the default when the variable is not given', () => {
        const result = run(query, signedIn());
        expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
        expect(result.data).toEqual({ me: { name: 'Ada', ssn: null } });
      });

      it('uses the given value over the default', () => {
        expectUntouched(run(query, signedIn(), { full: false }));
      });

      it('uses a false default for @skip too', () => {
        const result = run(
          'query Q($hide: Boolean = false) { me { name @skip(if: $hide) ssn @skip(if: $hide) } }',
          signedIn(),
        );
        expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
      });
    });

    // Variables only a dropped @skip/@include read go too.
    it('drops the definitions of variables only a dropped @skip used', () => {
      run('query Q($hide: Boolean!) { me { name @skip(if: $hide) ssn } }', signedIn(), {
        hide: true,
      });
    });

    it('keeps variables an included inline fragment used', () => {
      // `... @skip(if: $brief) { email ssn }` becomes `... { email }`.
      run('query Q($brief: Boolean!) { me { ... @skip(if: $brief) { email ssn } } }', signedIn(), {
        brief: false,
      });
    });
  });

  describe('conditionalVariables', () => {
    it('lists the variables of @skip/@include, sorted and once each, fragments included', () => {
      const document = parse(`
        query Q($zeta: Boolean!, $alpha: Boolean!, $mid: Boolean!, $id: ID!, $inner: Boolean!) {
          user(id: $id) {
            name @skip(if: $zeta)
            ...Bits @include(if: $alpha)
            ... @include(if: $zeta) {
              profile { bio @skip(if: $inner) }
            }
          }
          me { ssn @skip(if: true) }
        }
        fragment Bits on User { ssn @include(if: $mid) }
      `);
      expect(validate(schema, document)).toEqual([]);
      expect(conditionalVariables(document)).toEqual(['alpha', 'inner', 'mid', 'zeta']);
    });

    it('lists nothing for an operation without conditions', () => {
      expect(conditionalVariables(parse('query Q($id: ID!) { user(id: $id) { name } }'))).toEqual(
        [],
      );
    });
  });

  describe('nested lists', () => {
    it('reports every [i][j] path', () => {
      const result = run('{ matrix { value hidden } }', signedIn());
      expect(result.filtered).toBe(canonical('{ matrix { value } }'));
      expect(result.data).toEqual({
        matrix: [
          [
            { value: 1, hidden: null },
            { value: 2, hidden: null },
          ],
          [{ value: 3, hidden: null }],
        ],
      });
      expect(result.errors).toEqual([
        refused('Cell.hidden', 'matrix', 0, 0, 'hidden'),
        refused('Cell.hidden', 'matrix', 0, 1, 'hidden'),
        refused('Cell.hidden', 'matrix', 1, 0, 'hidden'),
      ]);
      expectUntouched(run('{ matrix { value hidden } }', signedIn('cells')));
    });

    it('selects __typename where every field of a list item is removed', () => {
      const result = run('{ matrix { hidden } }', signedIn());
      expect(result.filtered).toBe(canonical('{ matrix { __authorizationTypename: __typename } }'));
      expect(result.data).toEqual({
        matrix: [[{ hidden: null }, { hidden: null }], [{ hidden: null }]],
      });
      expect(result.errors).toHaveLength(3);
    });
  });

  describe('null propagation', () => {
    it('nulls the nearest nullable object for a refused non-null field', () => {
      const result = run('{ publicInfo me { name salary } }', signedIn());
      expect(result.data).toEqual({ publicInfo: 'hello', me: null });
      expect(result.errors).toEqual([refused('User.salary', 'me', 'salary')]);
    });

    it('nulls each nullable inner list once, with one error per list', () => {
      // StrictCell.hidden is Int!, the items StrictCell!, the inner lists nullable.
      const result = run('{ grid { value hidden } }', signedIn());
      expect(result.data).toEqual({ grid: [null, null] });
      expect(result.errors).toEqual([
        refused('StrictCell.hidden', 'grid', 0, 0, 'hidden'),
        refused('StrictCell.hidden', 'grid', 1, 0, 'hidden'),
      ]);
    });

    it('makes data null for a refused non-null root field', () => {
      const result = run('{ publicInfo license }', signedIn());
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([refused('Query.license', 'license')]);
    });

    it('reports removals before the root is nulled, and none after', () => {
      // As execution does: the fields before the failing one have run, the ones after have not.
      const before = run('{ me { ssn } license }', signedIn());
      expect(before.data).toBeNull();
      expect(before.errors).toEqual([
        refused('User.ssn', 'me', 'ssn'),
        refused('Query.license', 'license'),
      ]);
      const after = run('{ license me { ssn } }', signedIn());
      expect(after.data).toBeNull();
      expect(after.errors).toEqual([refused('Query.license', 'license')]);
    });

    it('reports nothing inside an object already nulled by an earlier removal', () => {
      const result = run('{ me { salary ssn profile { phone } } }', signedIn());
      expect(result.data).toEqual({ me: null });
      expect(result.errors).toEqual([refused('User.salary', 'me', 'salary')]);
    });

    // A null that propagates past a list stops the reporting of its later items.
    it('reports one error per nulled object when the null passes a non-null list', () => {
      const result = run('{ orders { id lines { sku unitCost } } }', signedIn());
      expect(result.data).toEqual({ orders: [null, null] });
      expect(result.errors).toEqual([
        refused('Line.unitCost', 'orders', 0, 'lines', 0, 'unitCost'),
        refused('Line.unitCost', 'orders', 1, 'lines', 0, 'unitCost'),
      ]);
    });

    it('reports one error when the null reaches the root through a list', () => {
      // users: [User!]!, salary: Int!: the first refused salary nulls data.
      // Actual: errors at users.0.salary and users.1.salary.
      const result = run('{ users { name salary } }', signedIn());
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([refused('User.salary', 'users', 0, 'salary')]);
    });

    it('reports one error when the null passes a non-null list in a nullable field', () => {
      // team: Team, members: [User!]!. Actual: errors at members.0 and members.1.
      const result = run('{ team { name members { salary } } }', signedIn());
      expect(result.data).toEqual({ team: null });
      expect(result.errors).toEqual([refused('User.salary', 'team', 'members', 0, 'salary')]);
    });
  });

  describe('everything in a selection removed', () => {
    it('selects __typename so the selection set stays valid, and takes it out again', () => {
      const result = run('{ me { ssn } }', signedIn());
      expect(result.filtered).toBe(canonical('{ me { __authorizationTypename: __typename } }'));
      expect(result.plan.addedTypenames.map((steps) => steps.map((s) => s.key))).toEqual([['me']]);
      expect(result.data).toEqual({ me: { ssn: null } });
      expect(result.errors).toEqual([refused('User.ssn', 'me', 'ssn')]);
    });

    it('does not add __typename when the client asked for it', () => {
      const result = run('{ me { __typename ssn } }', signedIn());
      expect(result.filtered).toBe(canonical('{ me { __typename } }'));
      expect(result.plan.addedTypenames).toEqual([]);
      expect(result.data).toEqual({ me: { __typename: 'User', ssn: null } });
    });

    it('selects __typename at the root when every root field is removed', () => {
      const result = run('{ report vault { code } }', anonymous);
      expect(result.filtered).toBe(canonical('{ __authorizationTypename: __typename }'));
      expect(result.plan.addedTypenames).toEqual([[]]);
      expect(result.data).toEqual({ report: null, vault: null });
      expect(result.errors).toEqual([
        refused('Query.report', 'report'),
        refused('Query.vault', 'vault'),
      ]);
    });

    it('selects __typename in every list item, and takes each out', () => {
      const result = run('{ users { ssn } }', signedIn());
      expect(result.filtered).toBe(canonical('{ users { __authorizationTypename: __typename } }'));
      expect(result.data).toEqual({ users: [{ ssn: null }, { ssn: null }] });
    });

    it('selects __typename in a nested object left empty', () => {
      const result = run('{ me { name profile { phone } } }', signedIn());
      expect(result.filtered).toBe(
        canonical('{ me { name profile { __authorizationTypename: __typename } } }'),
      );
      expect(result.data).toEqual({ me: { name: 'Ada', profile: { phone: null } } });
      expect(result.errors).toEqual([refused('Profile.phone', 'me', 'profile', 'phone')]);
    });
  });
});
