import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';

import { readCostModel } from '../src/limits/costModel.js';
import { estimateCost } from '../src/limits/estimateCost.js';

// Plain SDL (no @link): the directives go by their own names, and the same
// text is both the API schema and the document the cost model is read from.
const sdl = /* GraphQL */ `
  directive @cost(
    weight: Int!
  ) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(
    assumedSize: Int
    slicingArguments: [String!]
    sizedFields: [String!]
    requireOneSlicingArgument: Boolean = true
  ) on FIELD_DEFINITION

  scalar Heavy @cost(weight: 2)

  enum Status {
    OPEN
    CLOSED
  }

  type Query {
    name: String
    status: Status
    heavy: Heavy
    shop: Shop
    node: Node
    books(first: Int = 5): [Book!]! @listSize(slicingArguments: ["first"])
    authors: [Author!]! @listSize(assumedSize: 3)
    reviews: [Review!]!
    tags: [String!]!
    bookPage(first: Int = 10, after: String): BookConnection!
      @listSize(slicingArguments: ["first"], sizedFields: ["edges", "nodes"])
    report: Report @cost(weight: 7)
    ledger: Ledger
    search(text: String @cost(weight: 3), filter: BookFilter): [SearchResult!]!
      @listSize(assumedSize: 2)
  }

  type Mutation {
    addBook(input: BookInput!): Book
  }

  interface Node {
    id: ID!
  }
  type Shop implements Node {
    id: ID!
    owner: Author
  }
  type Book implements Node {
    id: ID!
    title: String
    author: Author
    chapters: [Chapter!]! @listSize(assumedSize: 4)
  }
  type Chapter {
    title: String
  }
  type Author {
    name: String
    books(first: Int = 10): [Book!]! @listSize(slicingArguments: ["first"])
  }
  type Review {
    stars: Int
  }
  type BookConnection {
    edges: [BookEdge!]!
    nodes: [Book!]!
    pageInfo: PageInfo!
  }
  type BookEdge {
    node: Book!
  }
  type PageInfo {
    hasNextPage: Boolean!
  }
  type Report {
    id: ID!
  }
  type Ledger @cost(weight: 4) {
    id: ID!
  }
  union SearchResult = Book | Author
  input BookFilter {
    genre: String
  }
  input BookInput {
    title: String!
    isbn: String @cost(weight: 5)
  }
`;
const schema = buildSchema(sdl);
const model = readCostModel(parse(sdl));

const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no single operation');
  return estimateCost(schema, model, document, operation, variables, { defaultListSize: 10 });
};

describe('static cost (IBM cost spec, as Apollo Router scores it)', () => {
  it('weighs objects 1 and scalars and enums 0', () => {
    expect(cost('{ name status }')).toBe(0);
    expect(cost('{ shop { id } }')).toBe(1);
    expect(cost('{ shop { id owner { name } } }')).toBe(2); // shop 1 + owner 1
    expect(cost('{ node { id ... on Book { title } } }')).toBe(1); // an interface weighs 1 too
  });

  it('adds 10 for a mutation, and 1 for an input object plus its fields’ @cost', () => {
    // 10 (mutation) + Book 1 + input object 1 + title 0
    expect(cost('mutation { addBook(input: { title: "x" }) { title } }')).toBe(12);
    // ... + isbn's @cost 5, given inline or through a variable
    expect(cost('mutation { addBook(input: { title: "x", isbn: "y" }) { title } }')).toBe(17);
    expect(
      cost('mutation ($in: BookInput!) { addBook(input: $in) { title } }', {
        in: { title: 'x', isbn: 'y' },
      }),
    ).toBe(17);
  });

  it('sizes a list by its slicing argument: literal, variable, variable default, argument default', () => {
    expect(cost('{ books(first: 3) { title } }')).toBe(3); // 3 × Book 1
    expect(cost('query ($n: Int) { books(first: $n) { title } }', { n: 7 })).toBe(7);
    expect(cost('query ($n: Int = 4) { books(first: $n) { title } }')).toBe(4);
    expect(cost('{ books { title } }')).toBe(5); // first: Int = 5
    expect(cost('query ($n: Int) { books(first: $n) { title } }')).toBe(5); // absent: default
    expect(cost('{ books(first: -5) { title } }')).toBe(0); // never a discount
  });

  it('falls back to assumedSize, then to the default list size', () => {
    expect(cost('{ authors { name } }')).toBe(3); // assumedSize 3 × 1
    expect(cost('{ reviews { stars } }')).toBe(10); // defaultListSize 10 × 1
    expect(cost('{ tags }')).toBe(0); // 10 × String 0
  });

  it('hands a connection’s page size to its sizedFields', () => {
    // bookPage 1 + edges 4 × (BookEdge 1 + node 1) + nodes 4 × 1 + pageInfo 1
    expect(
      cost(
        '{ bookPage(first: 4) { edges { node { title } } nodes { title } pageInfo { hasNextPage } } }',
      ),
    ).toBe(14);
    // first: Int = 10 when not given: 1 + 10 × 1
    expect(cost('{ bookPage { nodes { id } } }')).toBe(11);
    // through a fragment on the connection: 1 + 2 × 1
    expect(
      cost('{ bookPage(first: 2) { ...Page } } fragment Page on BookConnection { nodes { id } }'),
    ).toBe(3);
  });

  it('multiplies nested lists', () => {
    // books 3 × (Book 1 + chapters 4 × Chapter 1)
    expect(cost('{ books(first: 3) { chapters { title } } }')).toBe(15);
    // authors 3 × (Author 1 + books 2 × (Book 1 + chapters 4 × 1))
    expect(cost('{ authors { books(first: 2) { chapters { title } } } }')).toBe(33);
  });

  it('applies @cost on a field, its type, a scalar and an argument', () => {
    expect(cost('{ report { id } }')).toBe(7); // the field's @cost replaces the object's 1
    expect(cost('{ ledger { id } }')).toBe(4); // the type's @cost
    expect(cost('{ heavy }')).toBe(2); // a scalar type's @cost
    // search 2 × SearchResult 1 + text's @cost 3
    expect(cost('{ search(text: "x") { __typename } }')).toBe(5);
    // + the filter input object 1, inline or as a variable; an absent variable adds nothing
    expect(cost('{ search(text: "x", filter: { genre: "sf" }) { __typename } }')).toBe(6);
    expect(
      cost('query ($f: BookFilter) { search(filter: $f) { __typename } }', { f: { genre: 'sf' } }),
    ).toBe(3);
    expect(cost('query ($f: BookFilter) { search(filter: $f) { __typename } }')).toBe(2);
  });

  it('adds what fragments select, spread or inline, on every type condition', () => {
    // shop 1 + owner 1 (fragment) + owner 1 (inline fragment)
    expect(
      cost(
        '{ shop { ...S } } fragment S on Shop { owner { name } ... on Shop { id owner { name } } }',
      ),
    ).toBe(3);
    // search 2 × (1 + Book's author 1 + Author's name 0) + text 3: summed, not the max of the two
    expect(
      cost('{ search(text: "x") { ... on Book { author { name } } ... on Author { name } } }'),
    ).toBe(7);
    // one fragment spread twice counts twice: 2 × (shop 1 + owner 1)
    expect(
      cost('{ a: shop { ...S } b: shop { ...S } } fragment S on Shop { owner { name } }'),
    ).toBe(4);
  });

  it('honours @skip and @include with the request’s variables, on fields and fragments', () => {
    const query =
      'query ($s: Boolean!) { shop @skip(if: $s) { id } ledger @include(if: false) { id } authors { name } }';
    expect(cost(query, { s: true })).toBe(3); // authors only
    expect(cost(query, { s: false })).toBe(4); // shop 1 + authors 3
    expect(cost('{ shop { ...S @skip(if: true) } } fragment S on Shop { owner { name } }')).toBe(1);
    expect(
      cost('query ($i: Boolean = false) { shop { ... @include(if: $i) { owner { name } } } }'),
    ).toBe(1);
  });

  it('charges nothing for __typename and introspection', () => {
    expect(
      cost('{ __typename shop { __typename } __schema { types { name fields { name } } } }'),
    ).toBe(1);
  });

  it('scores a fragment spread twice over at every level in linear time', () => {
    // F0 costs 1; each Fi spreads F(i-1) twice, so F30 costs 2^30: scored once per fragment.
    const fragments = ['fragment F0 on Query { shop { id } }'];
    for (let i = 1; i <= 30; i++)
      fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    const started = performance.now();
    expect(cost(`{ ...F30 } ${fragments.join(' ')}`)).toBe(2 ** 30);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
