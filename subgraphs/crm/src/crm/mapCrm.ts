import type { AccountManager, Activity, Customer, CustomerSegment } from '../model.js';
import type { CrmActivity, CrmContact, CrmTier, CrmUser } from './types.js';

// The one place the CRM's vocabulary becomes the canonical model.

const segmentOf: Record<CrmTier, CustomerSegment> = {
  STRATEGIC: 'ENTERPRISE',
  KEY: 'MID_MARKET',
  STANDARD: 'SMALL_BUSINESS',
  PROSPECT: 'PROSPECT',
};

const tierOf: Record<CustomerSegment, CrmTier> = {
  ENTERPRISE: 'STRATEGIC',
  MID_MARKET: 'KEY',
  SMALL_BUSINESS: 'STANDARD',
  PROSPECT: 'PROSPECT',
};

export function toCustomer(c: CrmContact): Customer {
  return {
    id: c.contactId,
    name: `${c.firstName} ${c.lastName}`.trim(),
    email: c.emailAddress,
    phone: c.phoneNumber || null,
    company: c.companyName,
    segment: segmentOf[c.tier],
    accountManagerId: c.ownerId,
    createdAt: c.createdAt,
  };
}

/** For filters: the CRM tier a canonical segment stands for. */
export function toTier(segment: CustomerSegment): CrmTier {
  return tierOf[segment];
}

export function toAccountManager(u: CrmUser): AccountManager {
  return { id: u.userId, name: u.displayName, email: u.emailAddress };
}

export function toActivity(a: CrmActivity): Activity {
  return {
    id: a.activityId,
    type: a.kind,
    subject: a.subject,
    occurredAt: a.occurredAt,
    ownerId: a.ownerId,
    phoneNumber: a.phoneNumber ?? null,
    durationMinutes: a.durationMinutes ?? null,
    toAddress: a.toAddress ?? null,
    location: a.location ?? null,
  };
}
