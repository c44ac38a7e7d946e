/** The CRM API's published limits. */
export const limits = {
  idsPerGet: 100,
  idsPerBatch: 1_000,
  pageSize: { min: 1, max: 100, default: 25 },
  contactsPerCall: 100,
} as const;
