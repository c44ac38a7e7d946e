/** The WMS API's published limits. */
export const limits = {
  itemsPerGet: 100,
  itemsPerBatch: 1_000,
} as const;
