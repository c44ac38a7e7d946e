import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FakeCrmClient } from '../src/crm/FakeCrmClient.js';
import { createTestServer } from './createTestServer.js';
import { crmActivity, crmContact, crmUser, crmWorld } from './fixtures.js';

// One CRM call per kind of data, however many customers a request touches.

type Activities = {
  nodes: { id: string; type: string; subject: string; occurredAt: string }[];
  pageInfo: { hasNextPage: boolean };
};

describe('customers batching', () => {
  let server: Awaited<ReturnType<typeof createTestServer>>;
  beforeAll(async () => {
    server = await createTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('account managers of many customers: one usersById call with each manager once', async () => {
    const world = crmWorld({ userCount: 3, contactCount: 12 });
    const unowned = crmContact({ ownerId: null });
    const fake = new FakeCrmClient({ ...world, contacts: [...world.contacts, unowned] });

    const result = await server.run<{
      customers: {
        nodes: { id: string; accountManager: { id: string; name: string; email: string } | null }[];
      };
    }>(fake, `query { customers(first: 20) { nodes { id accountManager { id name email } } } }`);

    expect(result.errors).toBeUndefined();
    const userOf = new Map(world.users.map((u) => [u.userId, u]));
    expect(result.data?.customers.nodes).toEqual(
      [...world.contacts, unowned].map((c) => {
        const user = c.ownerId ? userOf.get(c.ownerId) : undefined;
        return {
          id: c.contactId,
          accountManager: user
            ? { id: user.userId, name: user.displayName, email: user.emailAddress }
            : null,
        };
      }),
    );
    expect(fake.calls.map((c) => c.method)).toEqual(['listContacts', 'usersById']);
    expect(fake.callsTo('usersById')).toEqual([[world.users.map((u) => u.userId)]]);
  });

  it('an account manager the CRM no longer has is null, not an error', async () => {
    const contact = crmContact({ ownerId: 'U-gone' });
    const fake = new FakeCrmClient({ contacts: [contact] });

    const result = await server.run(
      fake,
      `query ($id: ID!) { customer(id: $id) { id accountManager { name } } }`,
      { id: contact.contactId },
    );

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ customer: { id: contact.contactId, accountManager: null } });
  });

  it('_entities for many customers with activities(first: 2): one contactsById, one activitiesOfContacts', async () => {
    const world = crmWorld({ contactCount: 10, activitiesEach: 3 });
    const fake = new FakeCrmClient(world);
    const representations = world.contacts.map((c) => ({
      __typename: 'Customer',
      id: c.contactId,
    }));

    const result = await server.run<{
      _entities: { id: string; name: string; activities: Activities }[];
    }>(
      fake,
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Customer {
              id
              name
              activities(first: 2) {
                nodes {
                  id
                  type
                  subject
                  occurredAt
                }
                pageInfo {
                  hasNextPage
                }
              }
            }
          }
        }
      `,
      { r: representations },
    );

    expect(result.errors).toBeUndefined();
    const entities = result.data?._entities ?? [];
    expect(entities.map((e) => e.id)).toEqual(world.contacts.map((c) => c.contactId));
    for (const [i, entity] of entities.entries()) {
      const contact = world.contacts[i];
      // Newest first: the last built of the contact's activities leads.
      const own = world.activities.filter((a) => a.contactId === contact?.contactId).reverse();
      expect(entity.activities).toEqual({
        nodes: own.slice(0, 2).map((a) => ({
          id: a.activityId,
          type: a.kind,
          subject: a.subject,
          occurredAt: a.occurredAt,
        })),
        pageInfo: { hasNextPage: true },
      });
    }
    expect(fake.calls.map((c) => c.method)).toEqual(['contactsById', 'activitiesOfContacts']);
    expect(fake.callsTo('contactsById')).toEqual([[world.contacts.map((c) => c.contactId)]]);
    expect(fake.callsTo('activitiesOfContacts')).toEqual([
      [world.contacts.map((c) => c.contactId), { limit: 2, afterKey: undefined }],
    ]);
  });

  it('activity owners across customers load in one usersById call', async () => {
    const ann = crmUser();
    const bob = crmUser();
    const contacts = [crmContact({ ownerId: ann.userId }), crmContact({ ownerId: bob.userId })];
    const activities = contacts.flatMap((c) => [
      crmActivity(c, { kind: 'MEETING' }),
      crmActivity(c, { kind: 'EMAIL', ownerId: null }),
      crmActivity(c, { kind: 'NOTE', ownerId: ann.userId }),
    ]);
    const fake = new FakeCrmClient({ contacts, users: [ann, bob], activities });

    const result = await server.run<{
      customers: {
        nodes: { activities: { nodes: { type: string; owner: { name: string } | null }[] } }[];
      };
    }>(
      fake,
      `query { customers(first: 5) { nodes { activities(first: 5) { nodes { type owner { name } } } } } }`,
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.customers.nodes.map((n) => n.activities.nodes)).toEqual([
      [
        { type: 'NOTE', owner: { name: ann.displayName } },
        { type: 'EMAIL', owner: null },
        { type: 'MEETING', owner: { name: ann.displayName } },
      ],
      [
        { type: 'NOTE', owner: { name: ann.displayName } },
        { type: 'EMAIL', owner: null },
        { type: 'MEETING', owner: { name: bob.displayName } },
      ],
    ]);
    expect(fake.callsTo('usersById')).toEqual([[[ann.userId, bob.userId]]]);
  });
});
