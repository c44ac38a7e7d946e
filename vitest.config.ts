import { createRequire } from 'node:module';

import { defineConfig } from 'vitest/config';

// graphql 16 ships CommonJS (index.js) and ESM (index.mjs) side by side. Node
// loads index.js for everyone, but Vite would hand our sources index.mjs while
// CommonJS dependencies (@apollo/*) keep index.js: two graphql instances, and
// `instanceof GraphQLError` failing only in tests. Pin the one Node uses.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

// Workspace packages export their TypeScript sources under the "source"
// condition. ('module' is left out: some packages, @opentelemetry/api among them,
// point it at ESM builds that Node itself cannot load.)
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.e2e.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          retry: process.env.CI ? 2 : 0,
        },
      },
    ],
  },
});
