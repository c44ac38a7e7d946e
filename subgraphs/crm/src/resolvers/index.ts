import { DateTimeScalar } from '@bff/core';

import { Activity } from './Activity.js';
import { Customer } from './Customer.js';
import { Query } from './Query.js';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Customer,
  Activity,
};
