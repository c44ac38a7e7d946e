import { DateScalar, DateTimeScalar } from '@bff/core';

import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { Mutation, PlaceOrderResult } from './Mutation.js';
import { Order } from './Order.js';
import { Product } from './Product.js';
import { Query } from './Query.js';

export const resolvers = {
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query,
  Mutation,
  PlaceOrderResult,
  Customer,
  Product,
  Order,
  Invoice,
  // Orders have an orderDate, invoices an issuedOn: enough to tell them apart.
  CustomerDocument: {
    __resolveType: (document: { orderDate?: string }) =>
      'orderDate' in document ? 'Order' : 'Invoice',
  },
};
