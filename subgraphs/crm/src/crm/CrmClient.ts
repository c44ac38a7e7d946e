import type { CallContext, ChildPage, RestClient } from '@bff/core';

import type {
  CrmActivity,
  CrmContact,
  CrmFound,
  CrmNewActivity,
  CrmPage,
  CrmTier,
  CrmUser,
} from './types.js';

/** The CRM as the subgraph uses it. One implementation over HTTP, one fake for unit tests. */
export interface CrmClient {
  contactsById(ids: readonly string[]): Promise<CrmContact[]>;
  listContacts(request: {
    limit: number;
    afterKey?: string | undefined;
    tier?: CrmTier | undefined;
  }): Promise<ChildPage<CrmContact>>;
  usersById(ids: readonly string[]): Promise<CrmUser[]>;
  activitiesOfContacts(
    contactIds: readonly string[],
    request: { limit: number; afterKey?: string | undefined },
  ): Promise<Map<string, ChildPage<CrmActivity>>>;
  /** Records an activity; `idempotencyKey` makes a retry return the same activity. */
  recordActivity(activity: CrmNewActivity, idempotencyKey: string): Promise<CrmActivity>;
}

/** The CRM over HTTP, bound to one GraphQL request. */
export class HttpCrmClient implements CrmClient {
  constructor(
    private readonly rest: RestClient,
    private readonly call: CallContext,
  ) {}

  async contactsById(ids: readonly string[]) {
    const found = await this.rest.request<CrmFound<CrmContact>>(
      {
        method: 'POST',
        path: '/contacts/batch-get',
        body: { ids },
        route: 'POST /contacts/batch-get',
        // A batch read changes nothing: safe to retry although it is a POST.
        idempotent: true,
      },
      this.call,
    );
    return found.items;
  }

  async listContacts({
    limit,
    afterKey,
    tier,
  }: {
    limit: number;
    afterKey?: string | undefined;
    tier?: CrmTier | undefined;
  }) {
    return this.rest.request<CrmPage<CrmContact>>(
      {
        path: '/contacts',
        query: { pageSize: limit, after: afterKey, tier },
        route: 'GET /contacts',
      },
      this.call,
    );
  }

  async usersById(ids: readonly string[]) {
    const found = await this.rest.request<CrmFound<CrmUser>>(
      { path: '/users', query: { ids }, route: 'GET /users' },
      this.call,
    );
    return found.items;
  }

  async activitiesOfContacts(
    contactIds: readonly string[],
    { limit, afterKey }: { limit: number; afterKey?: string | undefined },
  ) {
    const answer = await this.rest.request<{
      results: (CrmPage<CrmActivity> & { contactId: string })[];
    }>(
      {
        path: '/activities/by-contact',
        query: { contactIds, pageSize: limit, after: afterKey },
        route: 'GET /activities/by-contact',
      },
      this.call,
    );
    return new Map(
      answer.results.map((r) => [r.contactId, { items: r.items, hasMore: r.hasMore }]),
    );
  }

  async recordActivity(activity: CrmNewActivity, idempotencyKey: string) {
    return this.rest.request<CrmActivity>(
      {
        method: 'POST',
        path: '/activities',
        body: activity,
        idempotencyKey,
        route: 'POST /activities',
      },
      this.call,
    );
  }
}
