import { randomUUID } from 'node:crypto';

import type { CrmContext } from '../context.js';
import { toActivity } from '../crm/mapCrm.js';
import type { ActivityType } from '../model.js';
import { customerId } from './Query.js';

export const Mutation = {
  async recordActivity(
    _: unknown,
    args: {
      input: {
        customerId: string;
        type: ActivityType;
        subject: string;
        occurredAt?: string | null;
      };
    },
    ctx: CrmContext,
  ) {
    const { input } = args;
    const activity = await ctx.crm.recordActivity(
      {
        contactId: customerId(input.customerId),
        kind: input.type,
        subject: input.subject,
        ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
      },
      // One key per mutation: the upstream client's retries (never the
      // client's own repeats) then record it once.
      randomUUID(),
    );
    return toActivity(activity);
  },
};
