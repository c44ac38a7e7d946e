// Shared state across replicas (DESIGN.md "Shared state").
export { createSharedStore } from './createSharedStore.js';
export type { SharedStoreOptions } from './createSharedStore.js';
export type { KeyValueStore, SharedRedisClient, SharedStore } from './SharedStore.js';
export { SharedStoreUnavailableError, withDeadline } from './SharedStoreUnavailableError.js';
export { createDeadLetterStore } from './DeadLetterStore.js';
export type { DeadLetter, DeadLetterStore } from './DeadLetterStore.js';
export { JsonCache, cacheKey, readThrough } from './JsonCache.js';
