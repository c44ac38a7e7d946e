import type { CrmActivityRecord, CrmContactRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCrmSandbox } from './startCrmSandbox.js';
import type { RunningCrm } from './startCrmSandbox.js';

interface Page<T> {
  items: T[];
  hasMore: boolean;
}

describe('CRM sandbox: activities', () => {
  let crm: RunningCrm;
  let busy: CrmContactRecord;
  let idle: CrmContactRecord;
  const activitiesOf = (contact: CrmContactRecord) =>
    crm.world.crm.activities.filter((a) => a.contactId === contact.contactId).reverse();

  beforeAll(async () => {
    crm = await startCrmSandbox();
    const byCount = [...crm.world.crm.contacts].sort(
      (a, b) => activitiesOf(b).length - activitiesOf(a).length,
    );
    busy = byCount[0] as CrmContactRecord;
    idle = byCount.at(-1) as CrmContactRecord;
  });
  afterAll(async () => {
    await crm?.close();
  });

  async function ok<T>(path: string): Promise<T> {
    const response = await crm.call('GET', path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  it('has a contact with many activities and one with none', () => {
    expect(activitiesOf(busy).length).toBeGreaterThan(5);
    expect(activitiesOf(idle)).toHaveLength(0);
  });

  it('lists a contact’s activities newest first', async () => {
    const page = await ok<Page<CrmActivityRecord>>(
      `/contacts/${busy.contactId}/activities?pageSize=100`,
    );
    expect(page).toEqual({ items: activitiesOf(busy), hasMore: false });
    const times = page.items.map((a) => a.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('pages a contact’s activities with pageSize and after', async () => {
    const all = activitiesOf(busy);
    const first = await ok<Page<CrmActivityRecord>>(
      `/contacts/${busy.contactId}/activities?pageSize=2`,
    );
    expect(first).toEqual({ items: all.slice(0, 2), hasMore: true });
    const second = await ok<Page<CrmActivityRecord>>(
      `/contacts/${busy.contactId}/activities?pageSize=3&after=${all[1]?.activityId}`,
    );
    expect(second).toEqual({ items: all.slice(2, 5), hasMore: all.length > 5 });
  });

  it('answers an empty list for a contact without activities, 404 for an unknown one', async () => {
    expect(await ok(`/contacts/${idle.contactId}/activities`)).toEqual({
      items: [],
      hasMore: false,
    });
    const response = await crm.call('GET', '/contacts/C999999/activities');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      errors: [{ errorCode: 'NOT_FOUND', message: 'no contact C999999' }],
    });
  });

  it('answers the first page for many contacts in one call, in request order', async () => {
    const body = await ok(
      `/activities/by-contact?contactIds=${idle.contactId},${busy.contactId},C999999&pageSize=3`,
    );
    expect(body).toEqual({
      results: [
        { contactId: idle.contactId, items: [], hasMore: false },
        { contactId: busy.contactId, items: activitiesOf(busy).slice(0, 3), hasMore: true },
        { contactId: 'C999999', items: [], hasMore: false },
      ],
    });
  });

  it.each([
    ['/activities/by-contact', 'REQUIRED_FIELD_MISSING', 'give "contactIds"'],
    [
      '/activities/by-contact?contactIds=C000001,C000002&after=A0000001',
      'INVALID_FIELD',
      '"after" needs exactly one contact id',
    ],
    [
      '/activities/by-contact?contactIds=C000001&pageSize=0',
      'invalid_parameter',
      '"pageSize" must be a whole number from 1 to 100',
    ],
  ])('refuses GET %s: 400 %s', async (path, errorCode, message) => {
    const response = await crm.call('GET', path);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ errorCode, message }] });
  });

  it('records an activity: 201, first in the contact’s list, owned by the contact’s owner', async () => {
    const contact = crm.world.crm.contacts[10] as CrmContactRecord;
    const response = await crm.call('POST', '/activities', {
      body: { contactId: contact.contactId, kind: 'CALL', subject: 'Order placed' },
    });
    expect(response.status).toBe(201);
    const activity = (await response.json()) as CrmActivityRecord;
    expect(activity).toEqual({
      activityId: `A${String(crm.world.crm.activities.length + 1).padStart(7, '0')}`,
      contactId: contact.contactId,
      kind: 'CALL',
      subject: 'Order placed',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      ownerId: contact.ownerId,
    });
    const page = await ok<Page<CrmActivityRecord>>(
      `/contacts/${contact.contactId}/activities?pageSize=100`,
    );
    expect(page.items).toEqual([activity, ...activitiesOf(contact)]);
  });

  it('keeps a given occurredAt and ownerId', async () => {
    const contact = crm.world.crm.contacts[11] as CrmContactRecord;
    const owner = crm.world.crm.users.find((u) => u.userId !== contact.ownerId);
    const response = await crm.call('POST', '/activities', {
      body: {
        contactId: contact.contactId,
        kind: 'NOTE',
        subject: 'Prefers email',
        occurredAt: '2025-12-31T10:00:00Z',
        ownerId: owner?.userId,
      },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      occurredAt: '2025-12-31T10:00:00Z',
      ownerId: owner?.userId,
    });
  });

  it('replays a POST with the same Idempotency-Key: one activity', async () => {
    const contact = crm.world.crm.contacts[12] as CrmContactRecord;
    const body = { contactId: contact.contactId, kind: 'EMAIL', subject: 'Quote sent' };
    const key = `activity-${Math.random().toString(36).slice(2)}`;
    const headers = { 'idempotency-key': key };
    const first = await crm.call('POST', '/activities', { body, headers });
    const again = await crm.call('POST', '/activities', { body, headers });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    const page = await ok<Page<CrmActivityRecord>>(
      `/contacts/${contact.contactId}/activities?pageSize=100`,
    );
    expect(page.items).toHaveLength(activitiesOf(contact).length + 1);
    const reused = await crm.call('POST', '/activities', {
      body: { ...body, subject: 'Another' },
      headers,
    });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({
      errors: [
        {
          errorCode: 'idempotency_key_reused',
          message: 'this Idempotency-Key was used with a different request body',
        },
      ],
    });
  });

  it.each([
    [{ contactId: 'C999999', kind: 'CALL', subject: 'x' }, 404, 'NOT_FOUND', 'no contact C999999'],
    [
      { contactId: 'C000001', kind: 'VISIT', subject: 'x' },
      400,
      'INVALID_FIELD',
      'kind must be one of CALL, EMAIL, MEETING, NOTE',
    ],
    [
      { contactId: 'C000001', kind: 'CALL', subject: '' },
      400,
      'INVALID_FIELD',
      'subject must be 1 to 500 characters',
    ],
    [
      { contactId: 'C000001', kind: 'CALL', subject: 's'.repeat(501) },
      400,
      'INVALID_FIELD',
      'subject must be 1 to 500 characters',
    ],
    [
      { contactId: 'C000001', kind: 'CALL', subject: 'x', occurredAt: 'yesterday' },
      400,
      'INVALID_FIELD',
      'occurredAt must be an ISO 8601 instant',
    ],
  ])('refuses POST %j: %i %s, and records nothing', async (body, status, errorCode, message) => {
    const before = await ok<Page<CrmActivityRecord>>('/contacts/C000001/activities?pageSize=100');
    const response = await crm.call('POST', '/activities', { body });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ errors: [{ errorCode, message }] });
    expect(await ok('/contacts/C000001/activities?pageSize=100')).toEqual(before);
  });

  it.each([
    ['without a body', undefined],
    ['without contactId', { kind: 'CALL', subject: 'x' }],
  ])('refuses a POST %s as a client error, not a 500', async (_name, body) => {
    const response = await crm.call('POST', '/activities', body === undefined ? {} : { body });
    expect(response.status).toBe(404);
    const json = (await response.json()) as { errors: { errorCode: string }[] };
    expect(json.errors.map((e) => e.errorCode)).toEqual(['NOT_FOUND']);
  });
});
