// The CRM's REST API as this subgraph reads it (camelCase contacts).

export type CrmTier = 'STRATEGIC' | 'KEY' | 'STANDARD' | 'PROSPECT';

export interface CrmContact {
  contactId: string;
  firstName: string;
  lastName: string;
  emailAddress: string;
  phoneNumber: string | null;
  companyName: string;
  tier: CrmTier;
  ownerId: string | null;
  createdAt: string;
}

export interface CrmUser {
  userId: string;
  displayName: string;
  emailAddress: string;
}

export interface CrmActivity {
  activityId: string;
  contactId: string;
  kind: 'CALL' | 'EMAIL' | 'MEETING' | 'NOTE';
  subject: string;
  occurredAt: string;
  ownerId: string | null;
  phoneNumber?: string;
  durationMinutes?: number;
  toAddress?: string;
  location?: string;
}

/** What POST /activities takes. */
export interface CrmNewActivity {
  contactId: string;
  kind: CrmActivity['kind'];
  subject: string;
  occurredAt?: string;
}

export interface CrmFound<T> {
  items: T[];
  notFound: string[];
}

export interface CrmPage<T> {
  items: T[];
  hasMore: boolean;
}
