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

export type ActivityType = 'CALL' | 'EMAIL' | 'MEETING' | 'NOTE';

/** One shape for the four kinds; the GraphQL type is picked from `type`. */
export interface Activity {
  id: string;
  type: ActivityType;
  subject: string;
  occurredAt: string;
  ownerId: string | null;
  phoneNumber: string | null;
  durationMinutes: number | null;
  toAddress: string | null;
  location: string | null;
}
