import type { CrmContext } from '../context.js';
import type { Activity as ActivityModel } from '../model.js';

export const Activity = {
  owner(activity: ActivityModel, _: unknown, ctx: CrmContext) {
    return activity.ownerId ? ctx.loaders.accountManagersById.load(activity.ownerId) : null;
  },
};
