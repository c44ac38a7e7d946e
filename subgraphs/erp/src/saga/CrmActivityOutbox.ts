import type { RestClient } from '@bff/core';
import type { BackgroundJobs, JobHandler } from '@bff/events';

export const crmActivityKind = 'crm.activity';

export interface CrmActivity {
  /** Derived from the order's key, so a retry or a replay records it once. */
  idempotencyKey: string;
  body: { contactId: string; kind: 'NOTE'; subject: string };
}

/**
 * Records order activities in the CRM off the request path: the CRM is not
 * essential to an order, so its outage must not fail one. The background
 * jobs retry with backoff, then keep a dead letter an operator replays.
 */
export class CrmActivityOutbox {
  constructor(private readonly jobs: BackgroundJobs) {}

  record(activity: CrmActivity): void {
    this.jobs.enqueue({
      id: `${crmActivityKind}:${activity.idempotencyKey}`,
      kind: crmActivityKind,
      payload: activity,
    });
  }
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
