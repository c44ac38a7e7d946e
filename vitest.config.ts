import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "source"
// condition. ('module' is left out: some packages, @opentelemetry/api among them,
// point it at ESM builds that Node itself cannot load.)
export default defineConfig({
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
