import { encodeCursor } from '@bff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeCrmClient } from '../src/crm/FakeCrmClient.js';
import type { CrmTier } from '../src/crm/types.js';
import { createTestServer } from './createTestServer.js';
import { crmContact, crmWorld } from './fixtures.js';

// `customers` lists CRM contacts in the canonical vocabulary, and a canonical
// segment filter goes to the CRM as its tier.

type Page = {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
};

describe('customers listing', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('maps a contact: name is first + last, empty phone is null, tier becomes segment', async () => {
    const full = crmContact({
      firstName: 'Grace',
      lastName: 'Hopper',
      emailAddress: 'grace@navy.example',
      phoneNumber: '+1 202 555 0100',
      companyName: 'US Navy',
      tier: 'STRATEGIC',
      createdAt: '2023-06-01T08:30:00Z',
    });
    const noPhone = crmContact({
      firstName: '',
      lastName: 'Acme Ltd',
      phoneNumber: '',
      tier: 'KEY',
    });
    const nullPhone = crmContact({ phoneNumber: null, tier: 'PROSPECT' });
    const fake = new FakeCrmClient({ contacts: [nullPhone, noPhone, full] });

    const result = await server.run<{ customers: { nodes: unknown[] } }>(
      fake,
      `query { customers(first: 10) { nodes { id name email phone company segment createdAt } } }`,
    );

    expect(result.errors).toBeUndefined();
    // The CRM lists contacts by id.
    expect(result.data?.customers.nodes).toEqual([
      {
        id: full.contactId,
        name: 'Grace Hopper',
        email: 'grace@navy.example',
        phone: '+1 202 555 0100',
        company: 'US Navy',
        segment: 'ENTERPRISE',
        createdAt: '2023-06-01T08:30:00Z',
      },
      {
        id: noPhone.contactId,
        name: 'Acme Ltd',
        email: noPhone.emailAddress,
        phone: null,
        company: noPhone.companyName,
        segment: 'MID_MARKET',
        createdAt: noPhone.createdAt,
      },
      {
        id: nullPhone.contactId,
        name: `${nullPhone.firstName} ${nullPhone.lastName}`,
        email: nullPhone.emailAddress,
        phone: null,
        company: nullPhone.companyName,
        segment: 'PROSPECT',
        createdAt: nullPhone.createdAt,
      },
    ]);
  });

  it.each<[string, CrmTier]>([
    ['ENTERPRISE', 'STRATEGIC'],
    ['MID_MARKET', 'KEY'],
    ['SMALL_BUSINESS', 'STANDARD'],
    ['PROSPECT', 'PROSPECT'],
  ])('customers(segment: %s) asks the CRM for tier %s', async (segment, tier) => {
    const world = crmWorld({ contactCount: 12 });
    const fake = new FakeCrmClient(world);

    const result = await server.run<{ customers: { nodes: { id: string; segment: string }[] } }>(
      fake,
      `query ($s: CustomerSegment) { customers(first: 20, segment: $s) { nodes { id segment } } }`,
      { s: segment },
    );

    expect(result.errors).toBeUndefined();
    expect(fake.calls).toEqual([
      { method: 'listContacts', args: [{ limit: 20, afterKey: undefined, tier }] },
    ]);
    const expected = world.contacts.filter((c) => c.tier === tier).map((c) => c.contactId);
    expect(expected).toHaveLength(3);
    expect(result.data?.customers.nodes).toEqual(expected.map((id) => ({ id, segment })));
  });

  it('endCursor of page 1 as `after` yields page 2 with no overlap', async () => {
    const world = crmWorld({ contactCount: 7 });
    const fake = new FakeCrmClient(world);
    const query = `query ($a: String) { customers(first: 4, after: $a) { nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

    const first = await server.run<{ customers: Page }>(fake, query);
    const second = await server.run<{ customers: Page }>(fake, query, {
      a: first.data?.customers.pageInfo.endCursor,
    });

    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const ids = world.contacts.map((c) => c.contactId);
    expect(first.data?.customers.nodes.map((n) => n.id)).toEqual(ids.slice(0, 4));
    expect(second.data?.customers.nodes.map((n) => n.id)).toEqual(ids.slice(4));
    expect(first.data?.customers.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    expect(second.data?.customers.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(fake.callsTo('listContacts')[1]).toEqual([
      { limit: 4, afterKey: ids[3], tier: undefined },
    ]);
  });

  it.each([0, 101])('customers(first: %i) is BAD_USER_INPUT naming "first"', async (first) => {
    const fake = new FakeCrmClient(crmWorld());

    const result = await server.run(
      fake,
      `query ($f: Int) { customers(first: $f) { nodes { id } } }`,
      {
        f: first,
      },
    );

    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['customers'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    expect(fake.calls).toEqual([]);
  });

  it.each([
    ['garbage', '%%%'],
    ['an activity cursor', encodeCursor('activity', 'A1')],
  ])('customers(after: %s) is BAD_USER_INPUT naming "after"', async (_label, after) => {
    const fake = new FakeCrmClient(crmWorld());

    const result = await server.run(
      fake,
      `query ($a: String) { customers(after: $a) { nodes { id } } }`,
      {
        a: after,
      },
    );

    expect(result.errors?.[0]).toMatchObject({
      path: ['customers'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
    expect(fake.calls).toEqual([]);
  });
});
