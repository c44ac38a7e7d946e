/** The fixed operations every gateway runs: small, medium and large. */
export interface BenchOperation {
  id: 'small' | 'medium' | 'large';
  title: string;
  query: string;
  variables: Record<string, unknown>;
}

export function benchOperations(fixtures: { sku: string; orderId: string }): BenchOperation[] {
  return [
    {
      id: 'small',
      title: 'one product by SKU (ERP)',
      query: `query Product($sku: ID!) { product(sku: $sku) { sku name category price { amount currency } } }`,
      variables: { sku: fixtures.sku },
    },
    {
      id: 'medium',
      title: 'one order across all three subgraphs',
      query: `query Order($id: ID!) {
        order(id: $id) {
          number status total { amount currency }
          customer { name email company }
          lines { quantity unitPrice { amount } product { sku name stock { available } } }
          shipments { carrier status }
        }
      }`,
      variables: { id: fixtures.orderId },
    },
    {
      id: 'large',
      title: '50 orders with customer, lines, products and stock',
      query: `query Orders {
        orders(first: 50) {
          nodes {
            number total { amount currency }
            customer { name }
            lines { quantity product { name stock { available } } }
          }
        }
      }`,
      variables: {},
    },
  ];
}
