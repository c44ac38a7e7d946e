/** The ERP API's published limits. */
export const limits = {
  /** `?ids=` on a GET: what fits comfortably in a URL. */
  idsPerGet: 100,
  /** `POST .../batch-get`: the largest page of orders times its most lines. */
  idsPerBatch: 1_000,
  page: { min: 1, max: 100, default: 20 },
  /** `?search=` on products, in characters (code points): a name or SKU fragment, not a document. */
  search: { min: 1, max: 100 },
  /** Per-client pages fetched in one call (`/by-client`). */
  clientsPerCall: 100,
} as const;
