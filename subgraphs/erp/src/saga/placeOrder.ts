import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { codedError, ErrorCode, UpstreamError } from '@bff/core';
import type { CallContext, Consumer, Logger, RestClient } from '@bff/core';
import type { Job } from '@bff/events';
import { SharedStoreUnavailableError } from '@bff/shared-state';

import type { ErpClient } from '../erp/ErpClient.js';
import { toOrder } from '../erp/mapErp.js';
import type { ErpOrder } from '../erp/types.js';
import type { Order } from '../model.js';
import { createErpOrder, erpMayHaveCreated, orderCompletionJob } from './completeOrder.js';
import type { PendingOrder } from './completeOrder.js';
import { crmActivityJob } from './crmActivity.js';
import type { IdempotencyStore } from './IdempotencyStore.js';
import { releaseReservation } from './reservations.js';

export interface PlaceOrderInput {
  customerId: string;
  lines: { sku: string; quantity: number }[];
}

interface Money {
  amount: string;
  currency: string;
}

/** What placeOrder answers; stored as is under the idempotency key, so it is plain JSON. */
export type PlaceOrderResult =
  | { __typename: 'OrderPlaced'; order: Order }
  | {
      __typename: 'InsufficientStock';
      code: 'INSUFFICIENT_STOCK';
      message: string;
      lines: { sku: string; requested: number; available: number }[];
    }
  | {
      __typename: 'CreditLimitExceeded';
      code: 'CREDIT_LIMIT_EXCEEDED';
      message: string;
      limit: Money;
      balance: Money;
      orderTotal: Money;
    }
  | { __typename: 'UnknownProduct'; code: 'UNKNOWN_PRODUCT'; message: string; skus: string[] }
  | { __typename: 'UnknownCustomer'; code: 'UNKNOWN_CUSTOMER'; message: string; customerId: string }
  | { __typename: 'IdempotencyKeyReused'; code: 'IDEMPOTENCY_KEY_REUSED'; message: string };

export interface OrderSagaDeps {
  inventory: RestClient;
  idempotency: IdempotencyStore<PlaceOrderResult>;
  /** Work after the answer: the CRM note, finishing an order the ERP never answered for. */
  jobs: { enqueue(job: Job): Promise<void> };
  /** How long a concurrent caller waits for the leader's result before giving up. */
  followerWaitMs: number;
  /** How often it looks. */
  followerPollMs: number;
}

/** Checks the input's shape; a refusal is a BAD_USER_INPUT error, before any key is claimed. */
export function validatePlaceOrderInput(input: PlaceOrderInput, idempotencyKey: string): void {
  if (!/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) {
    throw codedError(
      ErrorCode.BAD_USER_INPUT,
      '"idempotencyKey" must be 1 to 100 printable characters.',
      { argument: 'idempotencyKey' },
    );
  }
  if (input.lines.length < 1 || input.lines.length > 50) {
    throw codedError(ErrorCode.BAD_USER_INPUT, 'An order needs 1 to 50 lines.', {
      argument: 'input.lines',
    });
  }
  input.lines.forEach((line, i) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 1000) {
      throw codedError(ErrorCode.BAD_USER_INPUT, `Line ${i + 1}: quantity must be 1 to 1000.`, {
        argument: `input.lines[${i}].quantity`,
      });
    }
  });
}

/** The input in one spelling, so equal inputs hash equally whatever their field order. */
export function inputHash(input: PlaceOrderInput): string {
  const canonical = JSON.stringify({
    customerId: input.customerId,
    lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * placeOrder with its idempotency: the first caller of a key (on any replica)
 * runs the saga; the others wait for its result, or are told the key was used
 * for another input. A failure of a system behind frees the key, so that a
 * retry with the same key runs the saga again (its upstream calls carry keys
 * derived from it, so nothing is done twice).
 */
export async function placeOrder(
  ...args: Parameters<typeof placeOrderOnce>
): Promise<PlaceOrderResult> {
  try {
    return await placeOrderOnce(...args);
  } catch (error) {
    // Without the shared store no key can be honoured: refuse rather than risk a second order.
    if (error instanceof SharedStoreUnavailableError) {
      throw codedError(
        ErrorCode.SHARED_STORE_UNAVAILABLE,
        'Orders cannot be placed just now; retry with the same idempotency key.',
      );
    }
    throw error;
  }
}

async function placeOrderOnce(
  deps: OrderSagaDeps,
  request: {
    consumer: Consumer;
    erp: ErpClient;
    erpRest: RestClient;
    call: CallContext;
    logger: Logger;
  },
  input: PlaceOrderInput,
  idempotencyKey: string,
): Promise<PlaceOrderResult> {
  validatePlaceOrderInput(input, idempotencyKey);
  const hash = inputHash(input);
  // Keys are the caller's: two consumers choosing the same key do not collide.
  const key = createHash('sha256')
    .update(`${request.consumer.id}\n${idempotencyKey}`)
    .digest('hex');
  const deadline = Date.now() + deps.followerWaitMs;
  for (;;) {
    if (await deps.idempotency.claim(key, hash)) break;
    const record = await deps.idempotency.get(key);
    if (record === undefined) continue; // the leader's claim just expired: try again
    if (record.inputHash !== hash) return keyReused();
    if (record.result) return asItIsNow(record.result, request.erp);
    if (Date.now() >= deadline) {
      throw codedError(
        ErrorCode.CONFLICT,
        'An order with this idempotency key is still being placed; retry with the same key.',
      );
    }
    await sleep(deps.followerPollMs);
  }
  let result: PlaceOrderResult;
  try {
    result = await runSaga(deps, request, input, key, hash);
  } catch (error) {
    // Nothing was kept (runSaga compensated): let a retry start afresh.
    await deps.idempotency.release(key).catch((releaseError: unknown) => {
      request.logger.warn({ err: releaseError }, 'idempotency key not released; it expires');
    });
    throw error;
  }
  await deps.idempotency.complete(key, hash, result);
  return result;
}

/**
 * A repeat answers the order as it is now, not as it was placed: it may have
 * been confirmed, shipped or cancelled since (in the ERP too), and a client
 * retrying a timed-out placeOrder must not be told a cancelled order is
 * pending. Refusals are answered as they were.
 */
async function asItIsNow(result: PlaceOrderResult, erp: ErpClient): Promise<PlaceOrderResult> {
  if (result.__typename !== 'OrderPlaced') return result;
  const [order] = await erp.ordersById([result.order.id]);
  return order ? { __typename: 'OrderPlaced', order: toOrder(order) } : result;
}

function keyReused(): PlaceOrderResult {
  return {
    __typename: 'IdempotencyKeyReused',
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: 'This idempotency key was already used for a different order; choose a new key.',
  };
}

async function runSaga(
  deps: OrderSagaDeps,
  request: { erp: ErpClient; erpRest: RestClient; call: CallContext; logger: Logger },
  input: PlaceOrderInput,
  key: string,
  inputHash: string,
): Promise<PlaceOrderResult> {
  // 1. Validate against the ERP: the customer, every SKU, the credit limit.
  const [[client], products] = await Promise.all([
    request.erp.clientsByCrmId([input.customerId]),
    request.erp.productsBySku([...new Set(input.lines.map((l) => l.sku))]),
  ]);
  if (!client) {
    return {
      __typename: 'UnknownCustomer',
      code: 'UNKNOWN_CUSTOMER',
      message: `No customer ${input.customerId} has an ERP account.`,
      customerId: input.customerId,
    };
  }
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const unknown = [...new Set(input.lines.map((l) => l.sku))].filter((sku) => !bySku.has(sku));
  if (unknown.length > 0) return unknownProducts(unknown);
  // The ERP prices the order (its price list, currency, tax), so the check
  // sees what the customer would owe, not an estimate of it.
  const quote = await request.erpRest.request<{ gross_amount: string; currency: string }>(
    {
      method: 'POST',
      path: '/orders/quote',
      body: { client_number: client.client_number, lines: erpLines(input) },
      route: 'POST /orders/quote',
      idempotent: true,
    },
    request.call,
  );
  const limitCents = cents(client.credit_limit);
  const balanceCents = cents(client.balance);
  if (balanceCents + cents(quote.gross_amount) > limitCents) {
    return {
      __typename: 'CreditLimitExceeded',
      code: 'CREDIT_LIMIT_EXCEEDED',
      message: 'The order would take the customer past their credit limit.',
      limit: { amount: client.credit_limit, currency: client.currency },
      balance: { amount: client.balance, currency: client.currency },
      orderTotal: { amount: quote.gross_amount, currency: quote.currency },
    };
  }

  // 2. Reserve the stock, all lines or none.
  let reservationId: string;
  try {
    const reservation = await deps.inventory.request<{ reservation_id: string }>(
      {
        method: 'POST',
        path: '/reservations',
        body: {
          reference: `order:${key}`,
          lines: input.lines.map((l) => ({ item_code: l.sku, qty: l.quantity })),
        },
        idempotencyKey: `${key}:reserve`,
        route: 'POST /reservations',
      },
      request.call,
    );
    reservationId = reservation.reservation_id;
  } catch (error) {
    const shortfall = shortfallOf(error);
    if (shortfall) {
      return {
        __typename: 'InsufficientStock',
        code: 'INSUFFICIENT_STOCK',
        message: 'Not enough stock for every line; nothing was reserved.',
        lines: shortfall,
      };
    }
    // The ERP knows the SKU but the warehouse never stocked it.
    if (error instanceof UpstreamError && error.detail.status === 404) {
      return unknownProducts(input.lines.map((l) => l.sku));
    }
    throw error;
  }

  // 3. Create the order. An ERP that answered no made nothing: the stock is
  // released. One that never answered may have made it: the order is
  // finished forward in the background, and the stock stays with it.
  const pending: PendingOrder = {
    key,
    inputHash,
    contactId: client.crm_contact_id,
    reservationId,
    body: {
      client_number: client.client_number,
      lines: erpLines(input),
      reservation_ref: reservationId,
    },
  };
  let order: ErpOrder;
  try {
    order = await createErpOrder(request.erpRest, pending, request.call);
  } catch (error) {
    if (!erpMayHaveCreated(error)) {
      await releaseOrReport(deps.inventory, reservationId, request);
      throw error;
    }
    await deps.jobs.enqueue(orderCompletionJob(pending));
    request.logger.warn(
      { err: error, reservationId },
      'ERP silent on create: finishing the order in the background',
    );
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    throw codedError(
      typeof code === 'string' ? (code as ErrorCode) : ErrorCode.UPSTREAM_UNAVAILABLE,
      'The ERP did not answer whether it took the order; it may have. Retry with the same idempotency key to get the order.',
      { upstream: 'erp' },
    );
  }

  // 4. Note it in the CRM: not essential, so it never fails the order.
  await deps.jobs.enqueue(crmActivityJob(key, client.crm_contact_id, order));
  return { __typename: 'OrderPlaced', order: toOrder(order) };
}

/** Compensation: the stock goes back; a release that fails is logged with what is held. */
async function releaseOrReport(
  inventory: RestClient,
  reservationId: string,
  request: { call: CallContext; logger: Logger },
): Promise<void> {
  try {
    // A fresh deadline, as the request's may be what failed the order.
    await releaseReservation(inventory, reservationId, { ...request.call, signal: undefined });
  } catch (error) {
    // The stock stays held until someone releases it: say which.
    request.logger.error({ err: error, reservationId }, 'compensation failed: reservation held');
  }
}

/** The order's lines as the ERP takes them. */
function erpLines(input: PlaceOrderInput): { sku: string; qty: number }[] {
  return input.lines.map((l) => ({ sku: l.sku, qty: l.quantity }));
}

function unknownProducts(skus: string[]): PlaceOrderResult {
  return {
    __typename: 'UnknownProduct',
    code: 'UNKNOWN_PRODUCT',
    message: `Unknown products: ${skus.join(', ')}.`,
    skus,
  };
}

/** The WMS's 409 names each short item with what was asked and what is available. */
function shortfallOf(
  error: unknown,
): { sku: string; requested: number; available: number }[] | undefined {
  if (!(error instanceof UpstreamError) || error.detail.status !== 409 || !error.detail.body) {
    return undefined;
  }
  try {
    const body = JSON.parse(error.detail.body) as {
      shortfalls?: { item_code: string; requested: number; available: number }[];
    };
    return body.shortfalls?.map((s) => ({
      sku: s.item_code,
      requested: s.requested,
      available: s.available,
    }));
  } catch {
    return undefined;
  }
}

function cents(amount: string): number {
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return amount.startsWith('-') ? -value : value;
}
