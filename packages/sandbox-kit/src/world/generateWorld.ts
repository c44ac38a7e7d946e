import { Faker, base, en } from '@faker-js/faker';

import { centsToDecimal, decimalToCents, percentOf } from './money.js';
import type {
  CrmActivityRecord,
  CrmContactRecord,
  CrmUserRecord,
  ErpClientRecord,
  ErpInvoiceRecord,
  ErpOrderLineRecord,
  ErpOrderRecord,
  ErpOrderStatus,
  ErpProductRecord,
  InventoryShipmentRecord,
  InventorySiteRecord,
  InventoryStockRecord,
  World,
} from './records.js';

export interface WorldOptions {
  /** Same seed, same world: byte for byte, in every process. */
  seed: number;
  customers: number;
  products: number;
  warehouses: number;
  orders: number;
}

export const defaultWorldOptions: Readonly<WorldOptions> = Object.freeze({
  seed: 42,
  customers: 2_000,
  products: 500,
  warehouses: 3,
  orders: 20_000,
});

/**
 * The instant the data set is generated "as of". Fixed, so the world does
 * not depend on the day it is generated.
 */
export const WORLD_NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const knownSites: readonly Omit<InventorySiteRecord, never>[] = [
  {
    site_id: 'DC-BER',
    site_name: 'Berlin Distribution Centre',
    city: 'Berlin',
    country_code: 'DE',
  },
  { site_id: 'DC-RTM', site_name: 'Rotterdam Port Hub', city: 'Rotterdam', country_code: 'NL' },
  { site_id: 'DC-MAN', site_name: 'Manchester Fulfilment', city: 'Manchester', country_code: 'GB' },
  { site_id: 'DC-LYS', site_name: 'Lyon Regional Depot', city: 'Lyon', country_code: 'FR' },
  { site_id: 'DC-MIL', site_name: 'Milan Logistics Park', city: 'Milan', country_code: 'IT' },
  { site_id: 'DC-WAW', site_name: 'Warsaw East Hub', city: 'Warsaw', country_code: 'PL' },
  { site_id: 'DC-MAD', site_name: 'Madrid Central', city: 'Madrid', country_code: 'ES' },
  { site_id: 'DC-PRG', site_name: 'Prague Crossdock', city: 'Prague', country_code: 'CZ' },
  { site_id: 'DC-VIE', site_name: 'Vienna South', city: 'Vienna', country_code: 'AT' },
  { site_id: 'DC-CPH', site_name: 'Copenhagen Nordic', city: 'Copenhagen', country_code: 'DK' },
];

/** Fixed exchange rates from EUR, in basis points, and VAT by currency. */
const currencies = {
  EUR: { fxBp: 10_000, taxBp: 1_900 },
  USD: { fxBp: 10_850, taxBp: 0 },
  GBP: { fxBp: 8_550, taxBp: 2_000 },
} as const;
type Currency = keyof typeof currencies;

const tierDiscountBp = { STRATEGIC: 1_000, KEY: 500, STANDARD: 0, PROSPECT: 0 } as const;
const tierOrderWeight = { STRATEGIC: 8, KEY: 4, STANDARD: 1, PROSPECT: 0 } as const;
const termsDays = { PREPAID: 0, NET15: 15, NET30: 30, NET60: 60 } as const;

/**
 * Generates the whole world of the three upstream systems from one seed.
 * Each sandbox serves its own slice; the cross-references between them (the
 * CRM id in the ERP client, the SKU as the WMS item code, the ERP order in the
 * WMS shipment) line up because they come from the same generation.
 */
export function generateWorld(options: WorldOptions = defaultWorldOptions): World {
  validate(options);
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed);
  const rand = () => faker.number.float();
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const chance = (p: number) => rand() < p;

  // CRM: account managers, then contacts.
  const users: CrmUserRecord[] = Array.from(
    { length: Math.max(3, Math.ceil(options.customers / 100)) },
    (_, i) => {
      const firstName = faker.person.firstName();
      const lastName = faker.person.lastName();
      return {
        userId: `U${String(i + 1).padStart(4, '0')}`,
        displayName: `${firstName} ${lastName}`,
        emailAddress: `${ascii(firstName)}.${ascii(lastName)}@sales.example.com`,
      };
    },
  );

  const contacts: CrmContactRecord[] = [];
  const clients: ErpClientRecord[] = [];
  for (let i = 0; i < options.customers; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const companyName = faker.company.name();
    const drawnTier = weighted(rand, [
      ['STRATEGIC', 5],
      ['KEY', 15],
      ['STANDARD', 70],
      ['PROSPECT', 10],
    ] as const);
    // The ERP needs at least one client to take the orders: when every contact
    // so far was a prospect, the last one is not (worlds with a client anyway
    // are unchanged).
    const tier =
      drawnTier === 'PROSPECT' && clients.length === 0 && i === options.customers - 1
        ? 'STANDARD'
        : drawnTier;
    const createdAt = WORLD_NOW - int(30, 5 * 365) * DAY - int(0, DAY - 1);
    const contact: CrmContactRecord = {
      contactId: `C${String(i + 1).padStart(6, '0')}`,
      firstName,
      lastName,
      emailAddress: `${ascii(firstName)}.${ascii(lastName)}@${slug(companyName)}.example.com`,
      phoneNumber: faker.phone.number({ style: 'international' }),
      companyName,
      tier,
      ownerId: pick(users).userId,
      createdAt: iso(createdAt),
      updatedAt: iso(
        createdAt + int(0, Math.max(0, Math.floor((WORLD_NOW - createdAt) / DAY))) * DAY,
      ),
    };
    contacts.push(contact);
    // Prospects are in the CRM only: the ERP has never invoiced them.
    if (tier !== 'PROSPECT') {
      const currency = weighted(rand, [
        ['EUR', 70],
        ['USD', 20],
        ['GBP', 10],
      ] as const);
      const creditThousands =
        tier === 'STRATEGIC' ? int(250, 1_000) : tier === 'KEY' ? int(50, 250) : int(5, 50);
      clients.push({
        client_number: String(100_001 + i),
        crm_contact_id: contact.contactId,
        name: companyName,
        currency,
        credit_limit: centsToDecimal(creditThousands * 100_000),
        balance: '0.00', // summed from open invoices below
        payment_terms: weighted(rand, [
          ['PREPAID', 5],
          ['NET15', 20],
          ['NET30', 55],
          ['NET60', 20],
        ] as const),
        blocked: chance(0.02),
        created_on: isoDate(createdAt + int(0, 20) * DAY),
      });
    }
  }
  const contactById = new Map(contacts.map((c) => [c.contactId, c]));

  // ERP products; the WMS knows each by the same code (its item_code).
  const products: ErpProductRecord[] = Array.from({ length: options.products }, (_, i) => {
    // Log-uniform list prices from 2 to 2,000 EUR.
    const listCents = Math.round(200 * Math.pow(1_000, rand()));
    return {
      sku: `SKU-${10_001 + i}`,
      title: faker.commerce.productName(),
      description: faker.commerce.productDescription(),
      product_group: faker.commerce.department(),
      list_price: centsToDecimal(listCents),
      standard_cost: centsToDecimal(Math.round(listCents * (0.45 + rand() * 0.3))),
      currency: 'EUR',
      uom: weighted(rand, [
        ['EA', 80],
        ['BOX', 15],
        ['KG', 5],
      ] as const),
      status: chance(0.05) ? 'discontinued' : 'active',
    };
  });
  // A few products sell far more than the rest (Zipf popularity).
  const productPicker = cumulativePicker(products.map((_, rank) => 1 / (rank + 1)));
  const clientPicker = cumulativePicker(
    clients.map((c) => tierOrderWeight[contactById.get(c.crm_contact_id)?.tier ?? 'STANDARD']),
  );

  const sites: InventorySiteRecord[] = Array.from({ length: options.warehouses }, (_, i) =>
    i < knownSites.length
      ? { ...(knownSites[i] as InventorySiteRecord) }
      : {
          site_id: `DC-${String(i + 1).padStart(3, '0')}`,
          site_name: `Overflow Depot ${i + 1}`,
          city: faker.location.city(),
          country_code: 'DE',
        },
  );

  // ERP orders, oldest first so doc ids grow with time, with invoices and WMS shipments.
  const orderDays = Array.from({ length: options.orders }, () => rand() * 730).sort(
    (a, b) => b - a,
  );
  const orders: ErpOrderRecord[] = [];
  const invoices: ErpInvoiceRecord[] = [];
  const shipments: InventoryShipmentRecord[] = [];
  const openCentsByClient = new Map<string, number>();
  for (let n = 0; n < orderDays.length; n++) {
    const daysAgo = orderDays[n] as number;
    const createdAt = WORLD_NOW - Math.round(daysAgo * DAY);
    const client = clients[clientPicker(rand())] as ErpClientRecord;
    const tier = contactById.get(client.crm_contact_id)?.tier ?? 'STANDARD';
    const currency = client.currency as Currency;
    const lineCount = weighted(rand, [
      [1, 20],
      [2, 20],
      [3, 18],
      [4, 12],
      [5, 10],
      [6, 7],
      [7, 5],
      [8, 4],
      [9, 2],
      [10, 2],
    ] as const);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(lineCount, products.length)) chosen.add(productPicker(rand()));
    let netCents = 0;
    const lines: ErpOrderLineRecord[] = [...chosen].map((productIndex, i) => {
      const product = products[productIndex] as ErpProductRecord;
      const listCents = decimalToCents(product.list_price);
      const unitCents = percentOf(
        percentOf(listCents, currencies[currency].fxBp),
        10_000 - tierDiscountBp[tier],
      );
      const qty = weighted(rand, [
        [1, 30],
        [2, 20],
        [int(3, 10), 30],
        [int(11, 50), 20],
      ] as const);
      netCents += unitCents * qty;
      return {
        line_no: (i + 1) * 10,
        sku: product.sku,
        description: product.title,
        qty,
        unit_price: centsToDecimal(unitCents),
        line_amount: centsToDecimal(unitCents * qty),
      };
    });
    const taxCents = percentOf(netCents, currencies[currency].taxBp);
    const docId = 4_500_000_001 + n;
    const year = new Date(createdAt).getUTCFullYear();
    const status = orderStatus(daysAgo, rand);
    const order: ErpOrderRecord = {
      doc_id: docId,
      order_number: `SO-${year}-${String(n + 1).padStart(6, '0')}`,
      client_number: client.client_number,
      status,
      order_date: isoDate(createdAt),
      created_at: iso(createdAt),
      currency,
      lines,
      net_amount: centsToDecimal(netCents),
      tax_amount: centsToDecimal(taxCents),
      gross_amount: centsToDecimal(netCents + taxCents),
    };
    orders.push(order);

    if (status === 'INVOICED') {
      const issued = createdAt + int(1, 5) * DAY;
      const due = issued + termsDays[client.payment_terms] * DAY;
      const daysPastDue = (WORLD_NOW - due) / DAY;
      const paid = chance(daysPastDue > 30 ? 0.97 : daysPastDue > 0 ? 0.7 : 0.2);
      const grossCents = netCents + taxCents;
      if (!paid) {
        openCentsByClient.set(
          client.client_number,
          (openCentsByClient.get(client.client_number) ?? 0) + grossCents,
        );
      }
      invoices.push({
        invoice_id: 9_000_000_001 + invoices.length,
        invoice_number: `INV-${new Date(issued).getUTCFullYear()}-${String(invoices.length + 1).padStart(6, '0')}`,
        doc_id: docId,
        client_number: client.client_number,
        issue_date: isoDate(issued),
        due_date: isoDate(due),
        currency,
        gross_amount: centsToDecimal(grossCents),
        open_amount: paid ? '0.00' : centsToDecimal(grossCents),
        status: paid ? 'PAID' : daysPastDue > 0 ? 'OVERDUE' : 'OPEN',
      });
    }

    if (status === 'RELEASED' || status === 'SHIPPED' || status === 'INVOICED') {
      const split = lines.length >= 2 && sites.length >= 2 && chance(0.1);
      const parts = split ? [lines.slice(0, 1), lines.slice(1)] : [lines];
      const usedSites = new Set<string>();
      for (const part of parts) {
        let site = pick(sites);
        while (usedSites.has(site.site_id)) site = pick(sites);
        usedSites.add(site.site_id);
        const shippedAt =
          status === 'RELEASED' ? null : createdAt + int(1, 3) * DAY + int(0, DAY - 1);
        const deliveredAt =
          status === 'INVOICED' && shippedAt !== null ? shippedAt + int(1, 5) * DAY : null;
        shipments.push({
          shipment_id: `SH${String(shipments.length + 1).padStart(7, '0')}`,
          order_ref: String(docId),
          site_id: site.site_id,
          carrier: pick(['DHL', 'DPD', 'UPS', 'GLS', 'DB Schenker']),
          tracking_no: faker.string.alphanumeric({ length: 12, casing: 'upper' }),
          status:
            status === 'RELEASED' ? 'PICKING' : status === 'SHIPPED' ? 'IN_TRANSIT' : 'DELIVERED',
          shipped_at: shippedAt === null ? null : iso(shippedAt),
          delivered_at: deliveredAt === null ? null : iso(deliveredAt),
          lines: part.map((l) => ({ item_code: l.sku, qty: l.qty })),
        });
      }
    }
  }
  for (const client of clients) {
    client.balance = centsToDecimal(openCentsByClient.get(client.client_number) ?? 0);
  }

  const stock: InventoryStockRecord[] = [];
  products.forEach((product, rank) => {
    const popularity = 1 / Math.sqrt(rank + 1);
    for (const site of sites) {
      const onHand = chance(0.1) ? 0 : Math.round(rand() * 800 * popularity) + int(0, 40);
      stock.push({
        item_code: product.sku,
        site_id: site.site_id,
        qty_on_hand: onHand,
        qty_allocated: chance(0.2) ? int(0, onHand) : 0,
        updated_at: iso(WORLD_NOW - int(0, 14 * 24) * 3_600_000),
      });
    }
  });

  const subjects = [
    'Quarterly business review',
    'Pricing discussion',
    'Delivery follow-up',
    'Contract renewal',
    'Product demo',
    'Complaint about late shipment',
    'Introductory call',
    'Credit terms review',
  ];
  const activities: CrmActivityRecord[] = [];
  for (const contact of contacts) {
    const count =
      contact.tier === 'STRATEGIC' ? int(5, 15) : contact.tier === 'KEY' ? int(3, 10) : int(0, 6);
    for (let i = 0; i < count; i++) {
      activities.push({
        activityId: '',
        contactId: contact.contactId,
        kind: pick(['CALL', 'EMAIL', 'MEETING', 'NOTE'] as const),
        subject: pick(subjects),
        occurredAt: iso(WORLD_NOW - int(0, 365) * DAY - int(0, DAY - 1)),
        ownerId: chance(0.85) ? contact.ownerId : pick(users).userId,
      });
    }
  }
  // Ids in time order, as a CRM would have assigned them.
  activities.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  activities.forEach((a, i) => (a.activityId = `A${String(i + 1).padStart(7, '0')}`));
  // What each kind of activity records besides its subject; derived, not
  // drawn, so the rest of the world does not shift.
  const rooms = ['Customer site', 'Video call', 'Head office', 'Trade fair'];
  activities.forEach((a, i) => {
    const contact = contactById.get(a.contactId) as CrmContactRecord;
    if (a.kind === 'CALL')
      Object.assign(a, { phoneNumber: contact.phoneNumber, durationMinutes: 5 + ((i * 7) % 55) });
    if (a.kind === 'EMAIL') a.toAddress = contact.emailAddress;
    if (a.kind === 'MEETING') a.location = rooms[i % rooms.length] as string;
  });

  return {
    erp: { clients, products, orders, invoices },
    crm: { contacts, users, activities },
    inventory: { sites, stock, shipments },
  };
}

function validate(options: WorldOptions): void {
  const problems: string[] = [];
  for (const key of ['customers', 'products', 'warehouses', 'orders'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1)
      problems.push(`${key} must be at least 1`);
  }
  if (options.customers > 999_999) problems.push('customers must be at most 999,999');
  if (!Number.isInteger(options.seed)) problems.push('seed must be a whole number');
  if (problems.length > 0) throw new Error(`invalid world options: ${problems.join('; ')}`);
}

function orderStatus(daysAgo: number, rand: () => number): ErpOrderStatus {
  const r = rand();
  if (daysAgo > 30) return r < 0.04 ? 'CANCELLED' : 'INVOICED';
  if (daysAgo > 7) return r < 0.03 ? 'CANCELLED' : r < 0.33 ? 'SHIPPED' : 'INVOICED';
  if (daysAgo > 2) return r < 0.02 ? 'CANCELLED' : r < 0.32 ? 'RELEASED' : 'SHIPPED';
  return r < 0.6 ? 'OPEN' : 'RELEASED';
}

function weighted<T>(rand: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [value, weight] of choices) {
    r -= weight;
    if (r < 0) return value;
  }
  return (choices.at(-1) as readonly [T, number])[0];
}

/** Picks an index with probability proportional to its weight, by binary search. */
function cumulativePicker(weights: number[]): (r: number) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return (r: number) => {
    const target = r * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Whole seconds, as upstream systems usually store them. */
function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'company'
  );
}
