import type { CrmContext } from '../context.js';
import type { Activity as ActivityModel, ActivityType } from '../model.js';

const typeNameOf: Record<ActivityType, string> = {
  CALL: 'Call',
  EMAIL: 'Email',
  MEETING: 'Meeting',
  NOTE: 'Note',
};

const owner = (activity: ActivityModel, _: unknown, ctx: CrmContext) =>
  activity.ownerId ? ctx.loaders.accountManagersById.load(activity.ownerId) : null;

/** The Activity interface and its four types; each type resolves its owner the same way. */
export const activityResolvers = {
  Activity: { __resolveType: (activity: ActivityModel) => typeNameOf[activity.type] },
  Call: { owner },
  Email: { owner },
  Meeting: { owner },
  Note: { owner },
};
