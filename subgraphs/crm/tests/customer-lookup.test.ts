import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeCrmClient } from '../src/crm/FakeCrmClient.js';
import { createTestServer } from './createTestServer.js';
import { crmActivity, crmContact, crmWorld } from './fixtures.js';

// A customer by id: found, unknown (NOT_FOUND at the field), or not an id at
// all (BAD_USER_INPUT before the CRM is called). Entity references to unknown
// customers resolve to null without an error: the gateway asked, the CRM has none.

describe('customer lookup', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('customer(id) returns the mapped contact', async () => {
    const contact = crmContact({ firstName: 'Katherine', lastName: 'Johnson', tier: 'STANDARD' });
    const fake = new FakeCrmClient({ contacts: [crmContact(), contact] });

    const result = await server.run(
      fake,
      `query ($id: ID!) { customer(id: $id) { id name segment } }`,
      { id: contact.contactId },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      customer: { id: contact.contactId, name: 'Katherine Johnson', segment: 'SMALL_BUSINESS' },
    });
    expect(fake.calls).toEqual([{ method: 'contactsById', args: [[contact.contactId]] }]);
  });

  it('an unknown customer is null with NOT_FOUND at ["customer"], and the rest is served', async () => {
    const world = crmWorld({ contactCount: 2 });
    const fake = new FakeCrmClient(world);

    const result = await server.run(
      fake,
      `query { customer(id: "CT-nobody") { id } customers(first: 1) { nodes { id } } }`,
    );

    expect(result.data).toEqual({
      customer: null,
      customers: { nodes: [{ id: world.contacts[0]?.contactId }] },
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['customer'],
      extensions: { code: 'NOT_FOUND', argument: 'id' },
    });
  });

  it.each(['has spaces', '', 'x'.repeat(65), 'semi;colon'])(
    'customer(id: %j) is BAD_USER_INPUT naming "id", and the CRM is not called',
    async (id) => {
      const fake = new FakeCrmClient(crmWorld({ contactCount: 1 }));

      const result = await server.run(fake, `query ($id: ID!) { customer(id: $id) { id } }`, {
        id,
      });

      expect(result.data).toEqual({ customer: null });
      expect(result.errors?.[0]).toMatchObject({
        path: ['customer'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
      });
      expect(fake.calls).toEqual([]);
    },
  );

  it('_entities with unknown and malformed ids: null entities, no errors, one CRM call', async () => {
    const contact = crmContact();
    const fake = new FakeCrmClient({ contacts: [contact] });

    const result = await server.run(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Customer {
              id
              name
            }
          }
        }
      `,
      {
        r: [
          { __typename: 'Customer', id: 'CT-unknown' },
          { __typename: 'Customer', id: contact.contactId },
          { __typename: 'Customer', id: 'not a key' },
        ],
      },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [
        null,
        { id: contact.contactId, name: `${contact.firstName} ${contact.lastName}` },
        null,
      ],
    });
    expect(fake.calls).toEqual([
      { method: 'contactsById', args: [['CT-unknown', contact.contactId]] },
    ]);
  });

  it("a customer's activities page on with `after`, newest first, without overlap", async () => {
    const contact = crmContact();
    const activities = Array.from({ length: 5 }, () => crmActivity(contact));
    const fake = new FakeCrmClient({ contacts: [contact], activities });
    const query = /* GraphQL */ `
      query ($id: ID!, $a: String) {
        customer(id: $id) {
          activities(first: 3, after: $a) {
            nodes {
              id
            }
            pageInfo {
              hasNextPage
              hasPreviousPage
              endCursor
            }
          }
        }
      }
    `;
    type Data = {
      customer: {
        activities: {
          nodes: { id: string }[];
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
        };
      };
    };

    const first = await server.run<Data>(fake, query, { id: contact.contactId });
    const second = await server.run<Data>(fake, query, {
      id: contact.contactId,
      a: first.data?.customer.activities.pageInfo.endCursor,
    });

    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const newestFirst = activities.map((a) => a.activityId).reverse();
    expect(first.data?.customer.activities.nodes.map((n) => n.id)).toEqual(newestFirst.slice(0, 3));
    expect(second.data?.customer.activities.nodes.map((n) => n.id)).toEqual(newestFirst.slice(3));
    expect(first.data?.customer.activities.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    expect(second.data?.customer.activities.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    expect(fake.callsTo('activitiesOfContacts')[1]).toEqual([
      [contact.contactId],
      { limit: 3, afterKey: newestFirst[2] },
    ]);
  });

  it.each([
    ['first: 0', 'first', `activities(first: 0)`],
    ['first: 101', 'first', `activities(first: 101)`],
    ['a bad cursor', 'after', `activities(after: "nope!")`],
  ])(
    'activities(%s) is BAD_USER_INPUT naming "%s" at that field',
    async (_label, argument, field) => {
      const contact = crmContact();
      const fake = new FakeCrmClient({ contacts: [contact] });

      const result = await server.run<{ customer: { id: string } | null }>(
        fake,
        `query ($id: ID!) { customer(id: $id) { id ${field} { nodes { id } } } }`,
        { id: contact.contactId },
      );

      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]).toMatchObject({
        path: ['customer', 'activities'],
        extensions: { code: 'BAD_USER_INPUT', argument },
      });
      expect(fake.callsTo('activitiesOfContacts')).toEqual([]);
    },
  );
});
