import { createBatchLoader, createPageLoader } from '@bff/core';

import type { CrmClient } from '../crm/CrmClient.js';
import { toAccountManager, toActivity, toCustomer } from '../crm/mapCrm.js';
import type { Activity } from '../model.js';

/** The CRM's GET endpoints take at most 100 ids per call. */
const idsPerGet = 100;

/** The DataLoaders of one GraphQL request: one CRM call per kind of data per tick. */
export function createLoaders(crm: CrmClient) {
  return {
    customersById: createBatchLoader(
      async (ids) => (await crm.contactsById(ids)).map(toCustomer),
      (c) => c.id,
    ),
    accountManagersById: createBatchLoader(
      async (ids) => (await crm.usersById(ids)).map(toAccountManager),
      (u) => u.id,
      { maxBatchSize: idsPerGet },
    ),
    activitiesByCustomer: createPageLoader<Activity, never>(
      async (contactIds, { limit, afterKey }) => {
        const pages = await crm.activitiesOfContacts(contactIds, { limit, afterKey });
        return new Map(
          [...pages].map(([id, page]) => [id, { ...page, items: page.items.map(toActivity) }]),
        );
      },
      { maxBatchSize: idsPerGet },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
