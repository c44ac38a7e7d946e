// The inventory system's (WMS) REST API as this subgraph reads it: it says
// item_code for a SKU and site for a warehouse.

export interface WmsSite {
  site_id: string;
  site_name: string;
  city: string;
  country_code: string;
}

export interface WmsStockLevel {
  site_id: string;
  qty_on_hand: number;
  qty_allocated: number;
}

export interface WmsItemStock {
  item_code: string;
  levels: WmsStockLevel[];
}

export interface WmsShipment {
  shipment_id: string;
  order_ref: string;
  site_id: string;
  carrier: string;
  tracking_no: string;
  status: 'PICKING' | 'IN_TRANSIT' | 'DELIVERED';
  shipped_at: string | null;
  delivered_at: string | null;
  lines: { item_code: string; qty: number }[];
}
