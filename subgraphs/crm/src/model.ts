// The canonical model as this subgraph's resolvers hand it to GraphQL.

export type CustomerSegment = 'ENTERPRISE' | 'MID_MARKET' | 'SMALL_BUSINESS' | 'PROSPECT';

export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  company: string;
  segment: CustomerSegment;
  /** Link to the account manager, resolved only when asked for. */
  accountManagerId: string | null;
  createdAt: string;
}

export interface AccountManager {
  id: string;
  name: string;
  email: string;
}

export interface Activity {
  id: string;
  type: 'CALL' | 'EMAIL' | 'MEETING' | 'NOTE';
  subject: string;
  occurredAt: string;
  ownerId: string | null;
}
