import { codedError, ErrorCode } from '@bff/core';

import type { ErpContext } from '../context.js';
import { cancelOrder } from '../saga/cancelOrder.js';
import { placeOrder } from '../saga/placeOrder.js';
import { erpDocumentId } from './ids.js';
import type { PlaceOrderInput } from '../saga/placeOrder.js';

export const Mutation = {
  placeOrder(
    _: unknown,
    args: { input: PlaceOrderInput; idempotencyKey: string },
    ctx: ErpContext,
  ) {
    if (!ctx.orders) {
      throw codedError(ErrorCode.INTERNAL_SERVER_ERROR, 'Orders cannot be placed here.');
    }
    return placeOrder(
      ctx.orders.saga,
      {
        consumer: ctx.consumer,
        erp: ctx.erp,
        erpRest: ctx.orders.erpRest,
        call: ctx.call,
        logger: ctx.logger,
      },
      args.input,
      args.idempotencyKey,
    );
  },
  cancelOrder(_: unknown, args: { id: string }, ctx: ErpContext) {
    if (!ctx.orders) {
      throw codedError(ErrorCode.INTERNAL_SERVER_ERROR, 'Orders cannot be cancelled here.');
    }
    return cancelOrder(
      { erp: ctx.orders.erpRest, inventory: ctx.orders.saga.inventory },
      ctx.call,
      erpDocumentId(args.id, 'id'),
    );
  },
};

/** The result union's member is named by the saga (it is stored as JSON under the key). */
export const PlaceOrderResult = {
  __resolveType: (result: { __typename: string }) => result.__typename,
};
