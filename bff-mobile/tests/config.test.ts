import { ConfigError } from '@bff/core';
import { describe, expect, it } from 'vitest';

import { loadConfig } from '../src/config.js';

// v0's deprecation and sunset dates: validated at start, never at a request.

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted it');
};

describe('bff-mobile config: v0 dates', () => {
  it('defaults to deprecated on 2026-09-01 and sunset on 2027-06-30, both midnight UTC', () => {
    const config = loadConfig({});
    expect(config.V0_DEPRECATED_AT.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(config.V0_SUNSET_AT.toISOString()).toBe('2027-06-30T00:00:00.000Z');
  });

  it('takes a date or a date-time with its offset', () => {
    const config = loadConfig({
      V0_DEPRECATED_AT: '2026-10-15T12:30:00+02:00',
      V0_SUNSET_AT: '2027-01-31',
    });
    expect(config.V0_DEPRECATED_AT.toISOString()).toBe('2026-10-15T10:30:00.000Z');
    expect(config.V0_SUNSET_AT.toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it.each([
    ['the same day', '2027-01-01', '2027-01-01'],
    ['an earlier day', '2027-01-01', '2026-12-31'],
  ])('refuses a sunset on %s as the deprecation, naming both', (_, deprecatedAt, sunsetAt) => {
    expect(problemsOf({ V0_DEPRECATED_AT: deprecatedAt, V0_SUNSET_AT: sunsetAt })).toEqual([
      `V0_SUNSET_AT: must be after V0_DEPRECATED_AT (${deprecatedAt}T00:00:00.000Z) (got "${sunsetAt}")`,
    ]);
  });

  it('refuses a sunset before the default deprecation', () => {
    expect(problemsOf({ V0_SUNSET_AT: '2026-06-30' })).toEqual([
      'V0_SUNSET_AT: must be after V0_DEPRECATED_AT (2026-09-01T00:00:00.000Z) (got "2026-06-30")',
    ]);
  });

  it.each(['2026-02-30', '1 Sep 2026', '2026-09-01T00:00:00', 'soon'])(
    'refuses %s, which is no ISO date',
    (value) => {
      expect(problemsOf({ V0_DEPRECATED_AT: value })).toEqual([
        `V0_DEPRECATED_AT: must be an ISO date such as 2026-09-01 or a date-time such as 2026-09-01T00:00:00Z (got "${value}")`,
      ]);
    },
  );
});
