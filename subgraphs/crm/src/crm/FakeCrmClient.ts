import { upstreamErrorFromStatus } from '@bff/core';
import type { ChildPage } from '@bff/core';

import type { CrmClient } from './CrmClient.js';
import type { CrmActivity, CrmContact, CrmNewActivity, CrmTier, CrmUser } from './types.js';

// Internal: an in-memory CRM for unit tests (STYLE §2: one real and one fake
// implementation behind each upstream interface). It keeps the real API's
// semantics that resolvers and loaders rely on, and rejects what the real API
// rejects, with the same error the HTTP client would raise.

/** What the fake CRM holds: records in the CRM's own shape. */
export interface FakeCrmData {
  contacts?: CrmContact[];
  users?: CrmUser[];
  activities?: CrmActivity[];
}

/** One call the fake received, with copies of its arguments. */
export interface FakeCall {
  method: keyof CrmClient;
  args: unknown[];
}

/** The CRM API's published limits (sandbox/crm limits.ts). */
const limits = { idsPerGet: 100, idsPerBatch: 1_000, pageMax: 100, contactsPerCall: 100 };

export class FakeCrmClient implements CrmClient {
  /** Every call, in order, so tests can assert how many upstream round trips a query cost. */
  readonly calls: FakeCall[] = [];

  /** The CRM pages contacts by id. */
  private readonly contacts: CrmContact[];
  private readonly users: CrmUser[];
  /** Newest first, as the CRM lists a contact's activities. */
  private readonly activities: CrmActivity[];
  private readonly recorded = new Map<string, CrmActivity>();

  constructor(data: FakeCrmData = {}) {
    this.contacts = [...(data.contacts ?? [])].sort((a, b) => compare(a.contactId, b.contactId));
    this.users = data.users ?? [];
    this.activities = [...(data.activities ?? [])].sort(
      (a, b) => compare(b.occurredAt, a.occurredAt) || compare(b.activityId, a.activityId),
    );
  }

  /** The arguments of every call to one method, oldest first. */
  callsTo(method: keyof CrmClient): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  async contactsById(ids: readonly string[]) {
    this.record('contactsById', [...ids]);
    return found(
      ids,
      limits.idsPerBatch,
      this.contacts,
      (c) => c.contactId,
      'POST /contacts/batch-get',
    );
  }

  async listContacts(request: {
    limit: number;
    afterKey?: string | undefined;
    tier?: CrmTier | undefined;
  }) {
    this.record('listContacts', { ...request });
    const source =
      request.tier === undefined
        ? this.contacts
        : this.contacts.filter((c) => c.tier === request.tier);
    return keysetPage(source, (c) => c.contactId, request, 'GET /contacts');
  }

  async usersById(ids: readonly string[]) {
    this.record('usersById', [...ids]);
    // A GET with the ids in the query string: fewer per call than a batch POST.
    return found(ids, limits.idsPerGet, this.users, (u) => u.userId, 'GET /users');
  }

  async activitiesOfContacts(
    contactIds: readonly string[],
    request: { limit: number; afterKey?: string | undefined },
  ) {
    this.record('activitiesOfContacts', [...contactIds], { ...request });
    const route = 'GET /activities/by-contact';
    const count = new Set(contactIds).size;
    if (count === 0 || count > limits.contactsPerCall) throw badRequest(route);
    // A cursor belongs to one contact's list, so the CRM refuses it for several.
    if (request.afterKey !== undefined && contactIds.length > 1) throw badRequest(route);
    // One page per requested contact, empty for a contact with no activities.
    return new Map(
      contactIds.map((id) => [
        id,
        keysetPage(
          this.activities.filter((a) => a.contactId === id),
          (a) => a.activityId,
          request,
          route,
        ),
      ]),
    );
  }

  /** Records the activity as the CRM would, once per idempotency key. */
  async recordActivity(activity: CrmNewActivity, idempotencyKey: string) {
    this.record('recordActivity', { ...activity }, idempotencyKey);
    const replay = this.recorded.get(idempotencyKey);
    if (replay) return replay;
    const contact = this.contacts.find((c) => c.contactId === activity.contactId);
    if (!contact) throw upstreamErrorFromStatus('crm', 404, { route: 'POST /activities' });
    const created: CrmActivity = {
      activityId: `A-fake-${this.recorded.size + 1}`,
      contactId: contact.contactId,
      kind: activity.kind,
      subject: activity.subject,
      occurredAt: activity.occurredAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ownerId: contact.ownerId,
    };
    this.recorded.set(idempotencyKey, created);
    this.activities.unshift(created);
    return created;
  }

  private record(method: keyof CrmClient, ...args: unknown[]) {
    this.calls.push({ method, args });
  }
}

function compare(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function badRequest(route: string) {
  return upstreamErrorFromStatus('crm', 400, { route });
}

/** `{ items, notFound }` reads: the records found, in request order; unknown ids are left out. */
function found<T>(
  ids: readonly string[],
  max: number,
  records: readonly T[],
  keyOf: (r: T) => string,
  route: string,
): T[] {
  const count = new Set(ids).size;
  if (count === 0 || count > max) throw badRequest(route);
  const byKey = new Map(records.map((r) => [keyOf(r), r]));
  return ids.flatMap((id) => byKey.get(id) ?? []);
}

/** Keyset paging: `after` must name an item of the list. */
function keysetPage<T>(
  sorted: readonly T[],
  keyOf: (item: T) => string,
  { limit, afterKey }: { limit: number; afterKey?: string | undefined },
  route: string,
): ChildPage<T> {
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.pageMax) throw badRequest(route);
  let start = 0;
  if (afterKey !== undefined) {
    const index = sorted.findIndex((item) => keyOf(item) === afterKey);
    if (index < 0) throw badRequest(route);
    start = index + 1;
  }
  return { items: sorted.slice(start, start + limit), hasMore: start + limit < sorted.length };
}
