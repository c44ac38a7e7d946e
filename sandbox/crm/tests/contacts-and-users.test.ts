import type { CrmContactRecord } from '@bff/sandbox-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCrmSandbox } from './startCrmSandbox.js';
import type { RunningCrm } from './startCrmSandbox.js';

interface Page<T> {
  items: T[];
  hasMore: boolean;
}

const contactIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(6, '0')}`);

describe('CRM sandbox: contacts and users', () => {
  let crm: RunningCrm;
  beforeAll(async () => {
    crm = await startCrmSandbox();
  });
  afterAll(async () => {
    await crm?.close();
  });

  async function ok<T>(path: string, body?: unknown): Promise<T> {
    const response = await crm.call(body === undefined ? 'GET' : 'POST', path, { body });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  async function refused(
    path: string,
    status: number,
    errorCode: string,
    message: string,
    body?: unknown,
  ) {
    const response = await crm.call(body === undefined ? 'GET' : 'POST', path, { body });
    expect(response.status, path).toBe(status);
    expect(await response.json()).toEqual({ errors: [{ errorCode, message }] });
  }

  it('lists contacts 25 at a time by default, continuing with `after`', async () => {
    const first = await ok<Page<CrmContactRecord>>('/contacts');
    expect(first).toEqual({ items: crm.world.crm.contacts.slice(0, 25), hasMore: true });
    const second = await ok<Page<CrmContactRecord>>('/contacts?after=C000025&pageSize=20');
    expect(second).toEqual({ items: crm.world.crm.contacts.slice(25, 45), hasMore: true });
    const last = await ok<Page<CrmContactRecord>>('/contacts?after=C000045&pageSize=20');
    expect(last).toEqual({ items: crm.world.crm.contacts.slice(45), hasMore: false });
  });

  it('filters contacts by tier', async () => {
    const page = await ok<Page<CrmContactRecord>>('/contacts?tier=PROSPECT&pageSize=100');
    const prospects = crm.world.crm.contacts.filter((c) => c.tier === 'PROSPECT');
    expect(prospects.length).toBeGreaterThan(0);
    expect(page).toEqual({ items: prospects, hasMore: false });
  });

  it('refuses bad paging in the CRM error format', async () => {
    await refused(
      '/contacts?pageSize=101',
      400,
      'invalid_parameter',
      '"pageSize" must be a whole number from 1 to 100',
    );
    await refused(
      '/contacts?after=C999999',
      400,
      'invalid_cursor',
      'no item "C999999" to continue after',
    );
    await refused(
      '/contacts?tier=VIP',
      400,
      'invalid_parameter',
      '"tier" must be one of STRATEGIC, KEY, STANDARD, PROSPECT',
    );
  });

  it('gets contacts by ids: found in request order, the rest notFound', async () => {
    const body = await ok<{ items: CrmContactRecord[]; notFound: string[] }>(
      '/contacts?ids=C000003,X1,C000001',
    );
    expect(body).toEqual({
      items: [crm.world.crm.contacts[2], crm.world.crm.contacts[0]],
      notFound: ['X1'],
    });
  });

  it('takes 100 ids on a GET, 1000 in a batch, and no more', async () => {
    const hundred = await ok<{ items: unknown[]; notFound: string[] }>(
      `/contacts?ids=${contactIds(100).join(',')}`,
    );
    expect(hundred.items).toHaveLength(50);
    expect(hundred.notFound).toEqual(contactIds(100).slice(50));
    await refused(
      `/contacts?ids=${contactIds(101).join(',')}`,
      400,
      'too_many_ids',
      '"ids" names 101 ids; at most 100 per request',
    );
    const thousand = await ok<{ items: CrmContactRecord[]; notFound: string[] }>(
      '/contacts/batch-get',
      { ids: contactIds(1_000) },
    );
    expect(thousand.items).toEqual(crm.world.crm.contacts);
    expect(thousand.notFound).toHaveLength(950);
    await refused(
      '/contacts/batch-get',
      400,
      'too_many_ids',
      '"ids" names 1001 ids; at most 1000 per request',
      { ids: contactIds(1_001) },
    );
    await refused('/contacts/batch-get', 400, 'REQUIRED_FIELD_MISSING', 'give "ids"', {});
  });

  it('gets one contact, or 404 NOT_FOUND', async () => {
    expect(await ok('/contacts/C000050')).toEqual(crm.world.crm.contacts[49]);
    await refused('/contacts/C000051', 404, 'NOT_FOUND', 'no contact C000051');
  });

  it('gets sales users by ids and one by one', async () => {
    const [first, second] = crm.world.crm.users;
    expect(await ok(`/users?ids=${second?.userId},U9999,${first?.userId}`)).toEqual({
      items: [second, first],
      notFound: ['U9999'],
    });
    expect(await ok(`/users/${first?.userId}`)).toEqual(first);
    await refused('/users/U9999', 404, 'NOT_FOUND', 'no user U9999');
    await refused('/users', 400, 'REQUIRED_FIELD_MISSING', 'give "ids"');
  });

  it('refuses calls without a token in the CRM error format', async () => {
    const response = await crm.call('GET', '/contacts', { auth: false });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="missing bearer token"',
    );
    expect(await response.json()).toEqual({
      errors: [{ errorCode: 'invalid_token', message: 'missing bearer token' }],
    });
  });
});
