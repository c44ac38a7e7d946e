// A few rules, all errors (see STYLE.md §7): type-only imports, node: protocol,
// no undeclared dependencies, no console in service code, no `process` outside
// the entry points that own it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import n from 'eslint-plugin-n';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import rootPackage from './package.json' with { type: 'json' };

const workspaceDirs = rootPackage.workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(join(import.meta.dirname, pattern.slice(0, -2)), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(import.meta.dirname, pattern.slice(0, -2), entry.name))
    : [join(import.meta.dirname, pattern)],
);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    plugins: { 'import-x': importX, n },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Runtime code may use only its own workspace's dependencies.
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: false }],
      'import-x/no-default-export': 'error',
      'n/prefer-node-protocol': 'error',
      // Only entry points read the environment or own the process; everything
      // else gets a typed, validated Config passed down (STYLE.md §3).
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Only main.ts owns `process`: pass config and deps down.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:process',
              message: 'Only main.ts owns `process`: pass config and deps down.',
            },
            { name: 'process', message: 'Only main.ts owns `process`: pass config and deps down.' },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // Entry points, scripts, tests and benchmarks own the process and may print.
    files: [
      '**/src/main.ts',
      '**/src/*Cli.ts',
      'scripts/**',
      'bench/**',
      'test/**',
      '**/tests/**',
      'packages/testing/**',
    ],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-imports': 'off',
      'no-console': 'off',
      // Tests and tools use the root's dev dependencies (vitest, tsx) too.
      'import-x/no-extraneous-dependencies': [
        'error',
        { devDependencies: true, packageDir: [import.meta.dirname, ...workspaceDirs] },
      ],
    },
  },
  {
    files: ['*.config.ts', '*.config.js'],
    rules: {
      'import-x/no-default-export': 'off',
      'no-restricted-globals': 'off',
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: true }],
    },
  },
);
