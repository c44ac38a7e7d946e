// The upstream systems' own records, in their own vocabularies. These are
// what the sandbox serves; the subgraphs map them to the canonical model.

/** ERP: snake_case, knows a customer by client_number, keeps the CRM id as a cross-reference. */
export interface ErpClientRecord {
  client_number: string;
  crm_contact_id: string;
  name: string;
  currency: string;
  credit_limit: string;
  balance: string;
  payment_terms: 'PREPAID' | 'NET15' | 'NET30' | 'NET60';
  blocked: boolean;
  created_on: string;
}

export interface ErpProductRecord {
  sku: string;
  title: string;
  description: string;
  product_group: string;
  list_price: string;
  standard_cost: string;
  currency: string;
  uom: 'EA' | 'BOX' | 'KG';
  status: 'active' | 'discontinued';
}

export interface ErpOrderLineRecord {
  line_no: number;
  sku: string;
  description: string;
  qty: number;
  unit_price: string;
  line_amount: string;
}

export type ErpOrderStatus = 'OPEN' | 'RELEASED' | 'SHIPPED' | 'INVOICED' | 'CANCELLED';

export interface ErpOrderRecord {
  doc_id: number;
  order_number: string;
  client_number: string;
  status: ErpOrderStatus;
  order_date: string;
  created_at: string;
  currency: string;
  lines: ErpOrderLineRecord[];
  net_amount: string;
  tax_amount: string;
  gross_amount: string;
}

export interface ErpInvoiceRecord {
  invoice_id: number;
  invoice_number: string;
  doc_id: number;
  client_number: string;
  issue_date: string;
  due_date: string;
  currency: string;
  gross_amount: string;
  open_amount: string;
  status: 'OPEN' | 'PAID' | 'OVERDUE';
}

/** CRM: camelCase contacts, owners and activities. */
export interface CrmContactRecord {
  contactId: string;
  firstName: string;
  lastName: string;
  emailAddress: string;
  phoneNumber: string;
  companyName: string;
  tier: 'STRATEGIC' | 'KEY' | 'STANDARD' | 'PROSPECT';
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

export interface CrmUserRecord {
  userId: string;
  displayName: string;
  emailAddress: string;
}

export interface CrmActivityRecord {
  activityId: string;
  contactId: string;
  kind: 'CALL' | 'EMAIL' | 'MEETING' | 'NOTE';
  subject: string;
  occurredAt: string;
  ownerId: string;
  /** CALL: the number dialled and how long the call took. */
  phoneNumber?: string;
  durationMinutes?: number;
  /** EMAIL: the address written to. */
  toAddress?: string;
  /** MEETING: where it took place. */
  location?: string;
}

/** Inventory/WMS: snake_case, calls a SKU an item_code and a warehouse a site. */
export interface InventorySiteRecord {
  site_id: string;
  site_name: string;
  city: string;
  country_code: string;
}

export interface InventoryStockRecord {
  item_code: string;
  site_id: string;
  qty_on_hand: number;
  qty_allocated: number;
  updated_at: string;
}

export interface InventoryShipmentRecord {
  shipment_id: string;
  /** The ERP order's doc_id, as the WMS received it. */
  order_ref: string;
  site_id: string;
  carrier: string;
  tracking_no: string;
  status: 'PICKING' | 'IN_TRANSIT' | 'DELIVERED';
  shipped_at: string | null;
  delivered_at: string | null;
  lines: { item_code: string; qty: number }[];
}

export interface World {
  erp: {
    clients: ErpClientRecord[];
    products: ErpProductRecord[];
    orders: ErpOrderRecord[];
    invoices: ErpInvoiceRecord[];
  };
  crm: {
    contacts: CrmContactRecord[];
    users: CrmUserRecord[];
    activities: CrmActivityRecord[];
  };
  inventory: {
    sites: InventorySiteRecord[];
    stock: InventoryStockRecord[];
    shipments: InventoryShipmentRecord[];
  };
}
