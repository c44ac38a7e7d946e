import type { RestClient } from '@bff/core';
import type { Job, JobHandler } from '@bff/events';

import type { ErpOrder } from '../erp/types.js';

export const crmActivityKind = 'crm.activity';

export interface CrmActivity {
  /** Derived from the order's key, so a retry or a replay records it once. */
  idempotencyKey: string;
  body: { contactId: string; kind: 'NOTE'; subject: string };
}

/**
 * The note of a placed order in the CRM, as a background job: the CRM is not
 * essential to an order, so its outage must not fail one. The jobs retry
 * with backoff, then keep a dead letter an operator replays.
 */
export function crmActivityJob(
  sagaKey: string,
  contactId: string,
  order: ErpOrder,
): Job<CrmActivity> {
  const activity: CrmActivity = {
    idempotencyKey: `${sagaKey}:activity`,
    body: { contactId, kind: 'NOTE', subject: `Order ${order.order_number} placed` },
  };
  return {
    id: `${crmActivityKind}:${activity.idempotencyKey}`,
    kind: crmActivityKind,
    payload: activity,
  };
}

/** One delivery; the idempotency key makes a repeat (a retry, a replay) record it once. */
export function deliverCrmActivity(crm: RestClient): JobHandler<CrmActivity> {
  return async (activity, call) => {
    await crm.request(
      {
        method: 'POST',
        path: '/activities',
        body: activity.body,
        idempotencyKey: activity.idempotencyKey,
        route: 'POST /activities',
      },
      call,
    );
  };
}
