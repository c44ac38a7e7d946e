// The canonical model as this subgraph's resolvers hand it to GraphQL.

export interface Warehouse {
  id: string;
  name: string;
  city: string;
  country: string;
}

export interface StockLevel {
  onHand: number;
  reserved: number;
  available: number;
}

export interface WarehouseStock extends StockLevel {
  warehouse: { id: string };
}

export interface ProductStock {
  sku: string;
  stock: StockLevel;
  stockByWarehouse: WarehouseStock[];
}

export type ShipmentStatus = 'PICKING' | 'IN_TRANSIT' | 'DELIVERED';
export type FulfilmentStatus = 'UNFULFILLED' | 'PROCESSING' | 'SHIPPED' | 'DELIVERED';

export interface Shipment {
  id: string;
  orderId: string;
  warehouse: { id: string };
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus;
  shippedAt: string | null;
  deliveredAt: string | null;
  lines: { product: { sku: string }; quantity: number }[];
}
