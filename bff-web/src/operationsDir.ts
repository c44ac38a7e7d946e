import { fileURLToPath } from 'node:url';

/** bff-web/operations (its registered `.graphql` operations), from src/ or dist/ alike. */
export const operationsDir = fileURLToPath(new URL('../operations', import.meta.url));
