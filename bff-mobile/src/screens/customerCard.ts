import { ErrorCode } from '@bff/core';
import type { Request, Response } from 'express';

import type { GatewayClient } from '../gateway/GatewayClient.js';
import { ApiError } from '../http/ApiError.js';
import { sendError, sendScreen } from '../http/sendScreen.js';
import type { TrustedDocument } from '../trustedDocuments.js';
import { moneyOf } from './money.js';
import type { DisplayMoney, Money } from './money.js';
import {
  callerOf,
  failureOf,
  idPattern,
  missingParts,
  rootOf,
  withoutNulls,
} from './screenAnswer.js';

export interface OpenOrder {
  id: string;
  number: string;
  status: string;
  placedOn: string;
  total: DisplayMoney;
}

/**
 * `GET /m/v1/customers/:id`; absent keys are values the graph did not have
 * or the caller may not see (email and phone need crm:pii).
 */
export interface CustomerCard {
  id: string;
  name?: string;
  company?: string;
  segment?: string;
  email?: string;
  phone?: string;
  activities?: { type: string; subject: string; at: string }[];
  openOrders?: OpenOrder[];
  partial?: string[];
}

interface OrderNodes {
  nodes: {
    id: string;
    number: string;
    status: string;
    orderDate: string;
    total: Money;
  }[];
}

interface CustomerCardData {
  id: string;
  name: string | null;
  company: string | null;
  segment: string | null;
  email?: string | null;
  phone?: string | null;
  activities: { nodes: { type: string; subject: string; occurredAt: string }[] } | null;
  pending: OrderNodes | null;
  confirmed: OrderNodes | null;
}

/** Open orders (pending or confirmed) the card shows, newest first. */
export const maxOpenOrders = 3;

/** `GET /m/v1/customers/:id` */
export function customerCardHandler(gateway: GatewayClient, document: TrustedDocument) {
  return async (req: Request<{ id: string }>, res: Response): Promise<void> => {
    const { id } = req.params;
    if (!idPattern.test(id)) {
      sendError(
        req,
        res,
        new ApiError(ErrorCode.BAD_USER_INPUT, 400, 'Not a customer id.', { id }),
      );
      return;
    }
    const result = await gateway.execute(document, { id }, callerOf(req));
    const customer = rootOf<CustomerCardData>(result, 'customer');
    if (!customer) {
      const error = failureOf(
        req,
        result,
        'customer',
        () => new ApiError(ErrorCode.NOT_FOUND, 404, `No customer ${id}.`, { id }),
      );
      if (error.status >= 500) req.log.error({ gateway: result }, 'gateway failed');
      sendError(req, res, error);
      return;
    }
    const card = customerCardOf(customer);
    const partial =
      result.kind === 'answer'
        ? missingParts(result.errors, (path) =>
            path.includes('activities')
              ? 'activities'
              : path.includes('pending') || path.includes('confirmed')
                ? 'orders'
                : 'customer',
          )
        : undefined;
    if (partial) card.partial = partial;
    sendScreen(req, res, withoutNulls(card));
  };
}

export function customerCardOf(customer: CustomerCardData): CustomerCard {
  const card: CustomerCard = withoutNulls({
    id: customer.id,
    name: customer.name,
    company: customer.company,
    segment: customer.segment,
    email: customer.email,
    phone: customer.phone,
  }) as CustomerCard;
  if (customer.activities)
    card.activities = customer.activities.nodes.map((a) => ({
      type: a.type,
      subject: a.subject,
      at: a.occurredAt,
    }));
  if (customer.pending || customer.confirmed)
    card.openOrders = [...(customer.pending?.nodes ?? []), ...(customer.confirmed?.nodes ?? [])]
      .sort((a, b) => b.orderDate.localeCompare(a.orderDate) || b.number.localeCompare(a.number))
      .slice(0, maxOpenOrders)
      .map((o) => ({
        id: o.id,
        number: o.number,
        status: o.status,
        placedOn: o.orderDate,
        total: moneyOf(o.total),
      }));
  return card;
}
