import { DateTimeScalar } from '@bff/core';

import { activityResolvers } from './Activity.js';
import { Customer } from './Customer.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Customer,
  ...activityResolvers,
};
