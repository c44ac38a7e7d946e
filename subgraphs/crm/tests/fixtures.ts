import type { CrmActivity, CrmContact, CrmUser } from '../src/crm/types.js';

// Small builders of CRM-shaped records. Every record gets fresh keys (a
// per-run random tag plus a counter), so tests never depend on each other's
// data; overrides pin the fields a test asserts on.

const run = Math.random().toString(36).slice(2, 7);
let seq = 0;
const next = () => ++seq;
const pad = (n: number) => String(n).padStart(6, '0');

export function crmUser(overrides: Partial<CrmUser> = {}): CrmUser {
  const n = next();
  return {
    userId: `U-${run}-${pad(n)}`,
    displayName: `Account Manager ${n}`,
    emailAddress: `am${n}@example.com`,
    ...overrides,
  };
}

export function crmContact(overrides: Partial<CrmContact> = {}): CrmContact {
  const n = next();
  return {
    // Zero-padded, so the CRM's id order is the creation order.
    contactId: `CT-${run}-${pad(n)}`,
    firstName: 'Ada',
    lastName: `Lovelace ${n}`,
    emailAddress: `contact${n}@example.com`,
    phoneNumber: '+44 20 7946 0000',
    companyName: `Company ${n}`,
    tier: 'STANDARD',
    ownerId: null,
    createdAt: '2024-01-15T10:00:00Z',
    ...overrides,
  };
}

/** Activities get later `occurredAt` as they are built, so the last built is the newest. */
let minute = 0;

export function crmActivity(
  contact: CrmContact,
  overrides: Partial<CrmActivity> = {},
): CrmActivity {
  const n = next();
  const at = new Date(Date.UTC(2025, 0, 1) + ++minute * 60_000).toISOString();
  return {
    activityId: `A-${run}-${pad(n)}`,
    contactId: contact.contactId,
    kind: 'CALL',
    subject: `Call ${n}`,
    occurredAt: at.replace(/\.\d{3}Z$/, 'Z'),
    ownerId: contact.ownerId,
    ...overrides,
  };
}

/**
 * A small CRM: `userCount` account managers and `contactCount` contacts that
 * cycle through them and through the tiers, each with `activitiesEach`
 * activities.
 */
export function crmWorld({ userCount = 3, contactCount = 12, activitiesEach = 3 } = {}) {
  const tiers = ['STRATEGIC', 'KEY', 'STANDARD', 'PROSPECT'] as const;
  const users = Array.from({ length: userCount }, () => crmUser());
  const contacts = Array.from({ length: contactCount }, (_, i) =>
    crmContact({ tier: tiers[i % tiers.length], ownerId: users[i % userCount]?.userId ?? null }),
  );
  const activities = contacts.flatMap((c) =>
    Array.from({ length: activitiesEach }, () => crmActivity(c)),
  );
  return { users, contacts, activities };
}
