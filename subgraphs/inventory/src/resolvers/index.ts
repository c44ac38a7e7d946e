import { DateTimeScalar } from '@bff/core';

import { Order } from './Order.js';
import { Product } from './Product.js';
import { Query } from './Query.js';
import { Warehouse, warehouseOf } from './Warehouse.js';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Warehouse,
  Product,
  Order,
  WarehouseStock: { warehouse: warehouseOf },
  Shipment: { warehouse: warehouseOf },
};
