import { readFileSync } from 'node:fs';

import { ApolloGateway } from '@apollo/gateway';
import { getOperationAST, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { benchOperations } from '../../bench/operations.js';
import { readCostModel } from '../src/limits/costModel.js';
import type { CostModel } from '../src/limits/costModel.js';
import { estimateCost } from '../src/limits/estimateCost.js';
import { withoutSecurityPurpose } from '../src/supergraph/withoutSecurityPurpose.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const supergraphSdl = read('../../supergraph.graphql');

describe('@cost and @listSize, read under the names the @links give them', () => {
  it('reads the composed supergraph (cost spec link, @listSize imported)', () => {
    const model = readCostModel(parse(supergraphSdl));
    expect(model.listSize('Query', 'orders')).toEqual({
      assumedSize: undefined,
      slicingArguments: ['first'],
      sizedFields: ['edges', 'nodes'],
      requireOneSlicingArgument: true,
    });
    expect(model.listSize('Order', 'lines')?.assumedSize).toBe(10);
    expect(model.fieldWeight('Customer', 'recentDocuments')).toBe(2);
    expect(model.fieldWeight('Customer', 'orders')).toBeUndefined();
  });

  it('reads a subgraph SDL through its federation import', () => {
    const model = readCostModel(parse(read('../../subgraphs/inventory/schema.graphql')));
    expect(model.listSize('Order', 'shipments')?.assumedSize).toBe(2);
    expect(model.listSize('Query', 'warehouses')?.assumedSize).toBe(10);
  });

  it('follows renames: a supergraph link `as:`, a subgraph import `as`, federation__ names', () => {
    const supergraph = readCostModel(
      parse(/* GraphQL */ `
        schema
          @link(url: "https://specs.apollo.dev/link/v1.0")
          @link(url: "https://specs.apollo.dev/cost/v0.1", as: "price") {
          query: Query
        }
        type Query {
          a: String @price(weight: 3)
          b: [String] @price__listSize(assumedSize: 4)
          c: String @cost(weight: 9)
        }
      `),
    );
    expect(supergraph.fieldWeight('Query', 'a')).toBe(3);
    expect(supergraph.listSize('Query', 'b')?.assumedSize).toBe(4);
    // Renamed, @cost is someone else's directive.
    expect(supergraph.fieldWeight('Query', 'c')).toBeUndefined();

    const subgraph = readCostModel(
      parse(/* GraphQL */ `
        extend schema
          @link(
            url: "https://specs.apollo.dev/federation/v2.9"
            import: [{ name: "@cost", as: "@weight" }]
          )
        type Query {
          a(n: Int @weight(weight: 2)): String @weight(weight: 5)
          b: [String] @federation__listSize(assumedSize: 6)
          c: Ledger
        }
        type Ledger @federation__cost(weight: 8) {
          id: ID!
        }
        input Filter {
          q: String @weight(weight: 1)
        }
      `),
    );
    expect(subgraph.fieldWeight('Query', 'a')).toBe(5);
    expect(subgraph.argumentWeight('Query', 'a', 'n')).toBe(2);
    expect(subgraph.listSize('Query', 'b')?.assumedSize).toBe(6);
    expect(subgraph.typeWeight('Ledger')).toBe(8);
    expect(subgraph.inputFieldWeight('Filter', 'q')).toBe(1);
  });
});

describe('static cost of real operations against the composed supergraph', () => {
  let gateway: ApolloGateway;
  let schema: GraphQLSchema;
  const model: CostModel = readCostModel(parse(supergraphSdl));

  beforeAll(async () => {
    // The gateway's own API schema; it refuses `for: SECURITY` links, as in server.ts.
    gateway = new ApolloGateway({ supergraphSdl: withoutSecurityPurpose(supergraphSdl) });
    ({ schema } = await gateway.load());
  });
  afterAll(() => gateway.stop());

  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no single operation');
    return estimateCost(schema, model, document, operation, variables, { defaultListSize: 10 });
  };
  const bench = Object.fromEntries(
    benchOperations({ sku: 'SKU-1', orderId: 'SO-1' }).map((op) => [op.id, op]),
  );

  it("costs the bench's small operation 2", () => {
    // product 1 + price (Money) 1; sku, name, category, amount, currency are scalars.
    const { query, variables } = bench.small!;
    expect(cost(query, variables)).toBe(2);
  });

  it("costs the bench's medium operation 45", () => {
    // order 1 + total 1 + customer 1
    // + lines 10 (assumedSize) × (OrderLine 1 + unitPrice 1 + product 1 + stock 1) = 40
    // + shipments 2 (assumedSize) × Shipment 1 = 2
    const { query, variables } = bench.medium!;
    expect(cost(query, variables)).toBe(45);
  });

  it("costs the bench's large operation (50 orders) 1651", () => {
    // orders (OrderConnection, not a list) 1
    // + nodes 50 (sized by orders' first: 50) × per order 33:
    //     Order 1 + total 1 + customer 1
    //     + lines 10 (assumedSize) × (OrderLine 1 + product 1 + stock 1) = 30
    // = 1 + 50 × 33 = 1651
    const { query, variables } = bench.large!;
    expect(cost(query, variables)).toBe(1651);
  });

  it('charges recentDocuments 2 per document, and a mutation 10 plus its input', () => {
    // customers 1 + nodes 10 × (Customer 1 + recentDocuments 5 × @cost 2) = 1 + 10 × 11
    expect(
      cost(
        `query ($n: Int) {
        customers(first: $n) {
          nodes { recentDocuments(limit: 5) { ... on Order { number } ... on Invoice { number } } }
        }
      }`,
        { n: 10 },
      ),
    ).toBe(111);
    // mutation 10 + Activity 1 + RecordActivityInput 1
    expect(
      cost(
        'mutation { recordActivity(input: { customerId: "C1", type: NOTE, subject: "hi" }) { id } }',
      ),
    ).toBe(12);
  });
});
