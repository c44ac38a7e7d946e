import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, graphql, parse } from 'graphql';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

import { readAccessRequirements } from '../src/identity/accessRequirements.js';
import {
  anonymousConsumer,
  combine,
  isRestricted,
  noRequirement,
  satisfies,
} from '../src/identity/Consumer.js';
import type { AccessRequirement, Consumer } from '../src/identity/Consumer.js';
import { enforceAccess } from '../src/identity/enforceAccess.js';

const federation = (imports: string) => /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ${imports})
`;
const standardImports = '["@key", "@authenticated", "@requiresScopes"]';

const caller = (scopes: string[] = [], cls: Consumer['class'] = 'authenticated'): Consumer =>
  Object.freeze({ id: 'caller', class: cls, scopes: new Set(scopes) });

const requirement = (authenticated: boolean, ...scopeSets: string[][][]): AccessRequirement => ({
  authenticated,
  scopeSets,
});

describe('readAccessRequirements', () => {
  it('reads field-level @authenticated and @requiresScopes from a subgraph SDL', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation(standardImports)}
        type Query {
          products: [Product!]!
          orders: [Order!]! @authenticated
        }
        type Product @key(fields: "sku") {
          sku: ID!
          unitCost: Float @requiresScopes(scopes: [["erp:cost"], ["finance:read", "erp:read"]])
        }
        type Order {
          id: ID!
        }
      `),
    );
    expect(requirements.any).toBe(true);
    expect(requirements.ofField('Query', 'orders')).toEqual(requirement(true));
    expect(requirements.ofField('Query', 'products')).toEqual(noRequirement);
    expect(requirements.ofField('Product', 'unitCost')).toEqual(
      requirement(false, [['erp:cost'], ['finance:read', 'erp:read']]),
    );
    expect(requirements.ofField('Product', 'sku')).toEqual(noRequirement);
    expect(requirements.ofType('Product')).toEqual(noRequirement);
  });

  it('reads type-level requirements, separately from the fields', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation(standardImports)}
        type Query {
          invoices: [Invoice!]!
        }
        type Invoice @requiresScopes(scopes: [["finance:read"]]) {
          id: ID!
          total: Float @authenticated
        }
        type Order @authenticated {
          id: ID!
        }
      `),
    );
    expect(requirements.ofType('Invoice')).toEqual(requirement(false, [['finance:read']]));
    expect(requirements.ofType('Order')).toEqual(requirement(true));
    expect(requirements.ofField('Invoice', 'id')).toEqual(noRequirement);
    expect(requirements.ofField('Invoice', 'total')).toEqual(requirement(true));
  });

  it('combines several directives on one field or type, and type extensions', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation(standardImports)}
        type Query {
          secret: String @authenticated @requiresScopes(scopes: [["a"]])
        }
        type Ledger @requiresScopes(scopes: [["finance:read"]]) {
          id: ID!
        }
        extend type Ledger @requiresScopes(scopes: [["finance:admin"]]) {
          balance: Float @requiresScopes(scopes: [["b"]])
        }
      `),
    );
    expect(requirements.ofField('Query', 'secret')).toEqual(requirement(true, [['a']]));
    expect(requirements.ofType('Ledger')).toEqual(
      requirement(false, [['finance:read']], [['finance:admin']]),
    );
    expect(requirements.ofField('Ledger', 'balance')).toEqual(requirement(false, [['b']]));
  });

  it('reads the directives under the names a subgraph import gives them', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation(
          '["@key", { name: "@requiresScopes", as: "@scopes" }, { name: "@authenticated", as: "@signedIn" }]',
        )}
        type Query {
          a: String @scopes(scopes: [["x"]])
          b: String @signedIn
          c: String @requiresScopes(scopes: [["y"]])
          d: String @authenticated
        }
      `),
    );
    expect(requirements.ofField('Query', 'a')).toEqual(requirement(false, [['x']]));
    expect(requirements.ofField('Query', 'b')).toEqual(requirement(true));
    // Once renamed, the original names are someone else's directives.
    expect(requirements.ofField('Query', 'c')).toEqual(noRequirement);
    expect(requirements.ofField('Query', 'd')).toEqual(noRequirement);
  });

  it('reads the directives under the names a supergraph @link gives them', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        schema
          @link(url: "https://specs.apollo.dev/link/v1.0")
          @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
          @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "signedIn", for: SECURITY)
          @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "needs", for: SECURITY) {
          query: Query
        }
        directive @signedIn on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
        directive @needs(
          scopes: [[needs__Scope!]!]!
        ) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
        scalar needs__Scope
        type Query {
          customers: [Customer!]! @signedIn
          catalogue: [String!]!
        }
        type Customer @needs(scopes: [["crm:read"]]) {
          id: ID!
          email: String @needs(scopes: [["crm:pii"]])
        }
      `),
    );
    expect(requirements.any).toBe(true);
    expect(requirements.ofField('Query', 'customers')).toEqual(requirement(true));
    expect(requirements.ofField('Query', 'catalogue')).toEqual(noRequirement);
    expect(requirements.ofType('Customer')).toEqual(requirement(false, [['crm:read']]));
    expect(requirements.ofField('Customer', 'email')).toEqual(requirement(false, [['crm:pii']]));
  });

  it('reads a supergraph that links the specs without renaming them', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        schema
          @link(url: "https://specs.apollo.dev/link/v1.0")
          @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
          @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) {
          query: Query
        }
        type Query {
          orders: [String!] @authenticated
          unitCost: Float @requiresScopes(scopes: [["erp:cost"]])
        }
      `),
    );
    expect(requirements.ofField('Query', 'orders')).toEqual(requirement(true));
    expect(requirements.ofField('Query', 'unitCost')).toEqual(requirement(false, [['erp:cost']]));
  });

  // Composition (@apollo/composition 2.14) carries a subgraph's renamed import
  // into the supergraph as an import on the spec's own link, not as `as:`.
  // Missing it would make the gateway enforce nothing (fail open).
  it('reads the names a composed supergraph imports the specs under', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        schema
          @link(url: "https://specs.apollo.dev/link/v1.0")
          @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
          @link(
            url: "https://specs.apollo.dev/authenticated/v0.1"
            for: SECURITY
            import: [{ name: "@authenticated", as: "@signedIn" }]
          )
          @link(
            url: "https://specs.apollo.dev/requiresScopes/v0.1"
            for: SECURITY
            import: [{ name: "@requiresScopes", as: "@scopes" }]
          ) {
          query: Query
        }
        type Query {
          orders: [String!] @signedIn
          unitCost: Float @scopes(scopes: [["erp:cost"]])
        }
      `),
    );
    expect(requirements.any).toBe(true);
    expect(requirements.ofField('Query', 'orders')).toEqual(requirement(true));
    expect(requirements.ofField('Query', 'unitCost')).toEqual(requirement(false, [['erp:cost']]));
  });

  it('says there is nothing to enforce when neither directive is used', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation(standardImports)}
        type Query {
          products: [Product!]!
        }
        type Product @key(fields: "sku") {
          sku: ID!
        }
      `),
    );
    expect(requirements.any).toBe(false);
    expect(requirements.ofType('Product')).toEqual(noRequirement);
    expect(requirements.ofField('Product', 'sku')).toEqual(noRequirement);
    expect(requirements.ofField('Nope', 'nothing')).toEqual(noRequirement);
  });

  it('ignores the fields of input types', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation(standardImports)}
        type Query {
          a: String
        }
        input Filter {
          secret: String @authenticated
        }
      `),
    );
    expect(requirements.ofField('Filter', 'secret')).toEqual(noRequirement);
  });

  // Federation 2 lets a subgraph use a directive it did not import under its
  // namespaced name (@federation__requiresScopes, @federation__authenticated).
  it('reads the namespaced @federation__ names of directives not imported', () => {
    const requirements = readAccessRequirements(
      parse(/* GraphQL */ `
        ${federation('["@key"]')}
        type Query {
          orders: [String!] @federation__authenticated
          unitCost: Float @federation__requiresScopes(scopes: [["erp:cost"]])
        }
      `),
    );
    expect(requirements.ofField('Query', 'orders')).toEqual(requirement(true));
    expect(requirements.ofField('Query', 'unitCost')).toEqual(requirement(false, [['erp:cost']]));
  });
});

describe('Consumer requirements', () => {
  it('isRestricted: only a requirement that asks for something', () => {
    expect(isRestricted(noRequirement)).toBe(false);
    expect(isRestricted(requirement(true))).toBe(true);
    expect(isRestricted(requirement(false, [['a']]))).toBe(true);
    // @requiresScopes(scopes: []) is present, hence restricted, though anyone meets it.
    expect(isRestricted(requirement(false, []))).toBe(true);
  });

  it('combine: keeps both sides, and returns a side as is when the other asks nothing', () => {
    const a = requirement(true, [['a']]);
    const b = requirement(false, [['b'], ['c']]);
    expect(combine(a, b)).toEqual(requirement(true, [['a']], [['b'], ['c']]));
    expect(combine(a, noRequirement)).toBe(a);
    expect(combine(noRequirement, b)).toBe(b);
    expect(combine(noRequirement, noRequirement)).toBe(noRequirement);
  });

  describe('satisfies', () => {
    const orOfAnd = requirement(false, [['a', 'b'], ['c']]);

    it('is met by every scope of one group', () => {
      expect(satisfies(caller(['a', 'b']), orOfAnd)).toBe(true);
      expect(satisfies(caller(['c']), orOfAnd)).toBe(true);
      expect(satisfies(caller(['a', 'b', 'c', 'd']), orOfAnd)).toBe(true);
    });

    it('is not met by part of a group', () => {
      expect(satisfies(caller(['a']), orOfAnd)).toBe(false);
      expect(satisfies(caller(['b']), orOfAnd)).toBe(false);
      expect(satisfies(caller(['a', 'd']), orOfAnd)).toBe(false);
      expect(satisfies(caller([]), orOfAnd)).toBe(false);
    });

    it('needs scopes whatever the class: partner and internal callers too', () => {
      expect(satisfies(caller([], 'internal'), orOfAnd)).toBe(false);
      expect(satisfies(caller(['c'], 'partner'), orOfAnd)).toBe(true);
    });

    it('is met by anyone, anonymous included, when the list of groups is empty', () => {
      expect(satisfies(anonymousConsumer, requirement(false, []))).toBe(true);
      expect(satisfies(caller(), requirement(false, []))).toBe(true);
    });

    it('is met by anyone when one group is empty (a group of no scopes)', () => {
      expect(satisfies(anonymousConsumer, requirement(false, [[], ['a']]))).toBe(true);
    });

    it('@authenticated: any non-anonymous caller, never the anonymous one', () => {
      const authenticated = requirement(true);
      expect(satisfies(anonymousConsumer, authenticated)).toBe(false);
      for (const cls of ['authenticated', 'partner', 'internal'] as const) {
        expect(satisfies(caller([], cls), authenticated)).toBe(true);
      }
    });

    it('an anonymous caller holding a scope still fails @authenticated', () => {
      const anonymousWithScope = caller(['a'], 'anonymous');
      expect(satisfies(anonymousWithScope, requirement(true, [['a']]))).toBe(false);
      expect(satisfies(anonymousWithScope, requirement(false, [['a']]))).toBe(true);
    });

    it('combined requirements must all hold', () => {
      const both = combine(requirement(false, [['a']]), requirement(false, [['b'], ['c']]));
      expect(satisfies(caller(['a', 'b']), both)).toBe(true);
      expect(satisfies(caller(['a', 'c']), both)).toBe(true);
      expect(satisfies(caller(['a']), both)).toBe(false);
      expect(satisfies(caller(['b', 'c']), both)).toBe(false);
      const withAuthentication = combine(requirement(true), requirement(false, [['a']]));
      expect(satisfies(caller(['a']), withAuthentication)).toBe(true);
      expect(satisfies(caller(['a'], 'anonymous'), withAuthentication)).toBe(false);
    });

    it('no requirement is met by anyone', () => {
      expect(satisfies(anonymousConsumer, noRequirement)).toBe(true);
    });
  });
});

describe('enforceAccess', () => {
  interface Context {
    consumer: Consumer;
  }

  const typeDefs = parse(/* GraphQL */ `
    ${federation(standardImports)}
    type Query {
      products: [Product!]!
      orders: [Order!]! @authenticated
      invoice: Invoice
      me: String @requiresScopes(scopes: [["profile:read"], ["admin"]])
    }
    type Product @key(fields: "sku") {
      sku: ID!
      name: String!
      unitCost: Float @requiresScopes(scopes: [["erp:cost"]])
    }
    type Order {
      id: ID!
    }
    type Invoice @key(fields: "id") @requiresScopes(scopes: [["finance:read"]]) {
      id: ID!
      total: Float
    }
  `);

  const product = { sku: 'SKU-1', name: 'Widget', unitCost: 3.5 };
  const invoice = { id: 'INV-1', total: 99 };

  function subgraphSchema(): GraphQLSchema {
    const schema = buildSubgraphSchema([
      {
        typeDefs,
        resolvers: {
          Query: {
            products: () => [product],
            orders: () => [{ id: 'O-1' }],
            invoice: () => invoice,
            me: () => 'caller',
          },
          Product: { __resolveReference: () => product },
          Invoice: { __resolveReference: () => invoice },
        },
      },
    ]);
    enforceAccess<Context>(schema, readAccessRequirements(typeDefs), (ctx) => ctx.consumer);
    return schema;
  }

  const schema = subgraphSchema();
  const run = (
    source: string,
    consumer: Consumer,
    variableValues?: Record<string, unknown>,
  ): Promise<ExecutionResult> =>
    graphql({ schema, source, contextValue: { consumer }, variableValues });

  const refused = (coordinate: string) => ({
    message: `The caller may not read ${coordinate}.`,
    extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
  });

  it('lets public fields resolve for an anonymous caller', async () => {
    const result = await run('{ products { sku name } }', anonymousConsumer);
    expect(result).toEqual({ data: { products: [{ sku: 'SKU-1', name: 'Widget' }] } });
  });

  it('refuses an @authenticated field to an anonymous caller, with the coordinate and code', async () => {
    const result = await run('{ orders { id } products { sku } }', anonymousConsumer);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ ...refused('Query.orders'), path: ['orders'] });
    // Non-null orders: the null climbs to data; the public field is gone with it.
    expect(result.data).toBeNull();
  });

  it('resolves an @authenticated field for any signed-in caller', async () => {
    const result = await run('{ orders { id } }', caller([], 'partner'));
    expect(result).toEqual({ data: { orders: [{ id: 'O-1' }] } });
  });

  it('refuses a @requiresScopes field without the scope, keeping the public siblings', async () => {
    const result = await run('{ products { sku unitCost } }', caller(['erp:read']));
    expect(result.errors?.map((e) => e.toJSON())).toEqual([
      expect.objectContaining({
        ...refused('Product.unitCost'),
        path: ['products', 0, 'unitCost'],
      }),
    ]);
    expect(result.data).toEqual({ products: [{ sku: 'SKU-1', unitCost: null }] });
  });

  it('resolves a @requiresScopes field with the scope', async () => {
    const result = await run('{ products { unitCost } }', caller(['erp:cost']));
    expect(result).toEqual({ data: { products: [{ unitCost: 3.5 }] } });
  });

  it('applies OR-of-AND groups: either group will do', async () => {
    expect((await run('{ me }', caller(['admin']))).data).toEqual({ me: 'caller' });
    expect((await run('{ me }', caller(['profile:read']))).data).toEqual({ me: 'caller' });
    expect((await run('{ me }', caller(['profile:write']))).errors?.[0]).toMatchObject(
      refused('Query.me'),
    );
  });

  it('guards the fields that return a restricted type', async () => {
    const result = await run('{ invoice { id } }', caller(['erp:read']));
    expect(result.errors?.[0]).toMatchObject(refused('Query.invoice'));
    expect(result.data).toEqual({ invoice: null });
    const allowed = await run('{ invoice { id total } }', caller(['finance:read']));
    expect(allowed).toEqual({ data: { invoice: { id: 'INV-1', total: 99 } } });
  });

  it("guards a restricted type's own fields, reached through _entities", async () => {
    // No field returning Invoice is on this path: only the type's own fields can refuse.
    const entities = (selection: string) => /* GraphQL */ `
      query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Invoice { ${selection} }
          ... on Product { sku name }
        }
      }
    `;
    const representations = [
      { __typename: 'Invoice', id: 'INV-1' },
      { __typename: 'Product', sku: 'SKU-1' },
    ];
    const nullable = await run(entities('total'), anonymousConsumer, { representations });
    expect(nullable.errors?.map((e) => ({ message: e.message, path: e.path }))).toEqual([
      { message: 'The caller may not read Invoice.total.', path: ['_entities', 0, 'total'] },
    ]);
    expect(nullable.data).toEqual({
      _entities: [{ total: null }, { sku: 'SKU-1', name: 'Widget' }],
    });

    // Invoice.id is non-null: refusing it nulls the whole entity, the Product is still served.
    const key = await run(entities('id'), anonymousConsumer, { representations });
    expect(key.errors?.[0]).toMatchObject({
      ...refused('Invoice.id'),
      path: ['_entities', 0, 'id'],
    });
    expect(key.data).toEqual({ _entities: [null, { sku: 'SKU-1', name: 'Widget' }] });

    const allowed = await run(entities('id total'), caller(['finance:read']), {
      representations,
    });
    expect(allowed).toEqual({
      data: {
        _entities: [
          { id: 'INV-1', total: 99 },
          { sku: 'SKU-1', name: 'Widget' },
        ],
      },
    });
  });

  it('leaves introspection and federation fields alone', async () => {
    const result = await run('{ __typename _service { sdl } }', anonymousConsumer);
    expect(result.errors).toBeUndefined();
  });

  it('works on a schema built with graphql-js and resolvers attached', async () => {
    const sdl = /* GraphQL */ `
      type Query {
        open: String
        closed: String @authenticated
        scoped: Secret
      }
      type Secret @requiresScopes(scopes: [["s"]]) {
        value: String
      }
    `;
    const plain = buildSchema(`
      directive @authenticated on FIELD_DEFINITION | OBJECT
      directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
      ${sdl}
    `);
    const fields = plain.getQueryType()?.getFields();
    if (!fields?.open || !fields.closed || !fields.scoped) throw new Error('schema');
    fields.open.resolve = () => 'hello';
    fields.closed.resolve = () => 'secret';
    fields.scoped.resolve = () => ({ value: 'v' });
    enforceAccess<Context>(plain, readAccessRequirements(parse(sdl)), (ctx) => ctx.consumer);

    const anonymous = await graphql({
      schema: plain,
      source: '{ open closed scoped { value } }',
      contextValue: { consumer: anonymousConsumer },
    });
    expect(anonymous.data).toEqual({ open: 'hello', closed: null, scoped: null });
    expect(anonymous.errors?.map((e) => e.message)).toEqual([
      'The caller may not read Query.closed.',
      'The caller may not read Query.scoped.',
    ]);
    const scoped = await graphql({
      schema: plain,
      source: '{ open closed scoped { value } }',
      contextValue: { consumer: caller(['s']) },
    });
    expect(scoped).toEqual({ data: { open: 'hello', closed: 'secret', scoped: { value: 'v' } } });
  });

  it("applies an interface field's requirement to the implementing type's field", async () => {
    const sdl = /* GraphQL */ `
      type Query {
        feed: [FeedItem!]!
      }
      interface FeedItem {
        id: ID!
        author: String @authenticated
      }
      type Post implements FeedItem {
        id: ID!
        author: String
      }
    `;
    const plain = buildSchema(`directive @authenticated on FIELD_DEFINITION | INTERFACE\n${sdl}`);
    const feed = plain.getQueryType()?.getFields().feed;
    if (!feed) throw new Error('schema');
    feed.resolve = () => [{ __typename: 'Post', id: 'P-1', author: 'ann' }];
    enforceAccess<Context>(plain, readAccessRequirements(parse(sdl)), (ctx) => ctx.consumer);
    const source = '{ feed { id author } }';
    const anonymous = await graphql({
      schema: plain,
      source,
      contextValue: { consumer: anonymousConsumer },
    });
    expect(anonymous.errors?.[0]).toMatchObject(refused('Post.author'));
    expect(anonymous.data).toEqual({ feed: [{ id: 'P-1', author: null }] });
    const signedIn = await graphql({ schema: plain, source, contextValue: { consumer: caller() } });
    expect(signedIn).toEqual({ data: { feed: [{ id: 'P-1', author: 'ann' }] } });
  });

  it('leaves a schema without requirements untouched', () => {
    const sdl = 'type Query { a: String }';
    const plain = buildSchema(sdl);
    const resolve = () => 'a';
    const field = plain.getQueryType()?.getFields().a;
    if (!field) throw new Error('schema');
    field.resolve = resolve;
    enforceAccess<Context>(plain, readAccessRequirements(parse(sdl)), (ctx) => ctx.consumer);
    expect(field.resolve).toBe(resolve);
  });
});
