import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ErrorCode } from '@bff/core';
import { describe, expect, it } from 'vitest';

// The error catalogue is part of the API: a code a client can receive must be
// documented, and a documented code must exist.
const catalogue = readFileSync(
  fileURLToPath(new URL('../../docs/ERRORS.md', import.meta.url)),
  'utf8',
);
const documented = [...catalogue.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((m) => m[1]);

describe('docs/ERRORS.md', () => {
  it('documents every error code the services can send', () => {
    expect(Object.values(ErrorCode).filter((code) => !documented.includes(code))).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    expect(
      documented.filter((code) => !Object.values(ErrorCode).includes(code as ErrorCode)),
    ).toEqual([]);
  });
});
