import { describe, expect, it } from 'vitest';

import { parseRetryAfter } from '../src/rest/RestClient.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7);
  });

  it('reads an HTTP date as the whole seconds until then', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:01 GMT', now - 500)).toBe(2);
  });

  it('reads a date in the past as zero', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it('uses the first of repeated headers', () => {
    expect(parseRetryAfter(['30', '90'], now)).toBe(30);
  });

  it('returns undefined when absent, blank or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('   ', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter([], now)).toBeUndefined();
  });
});

describe('parseRetryAfter with garbage', () => {
  it('ignores values that are neither delta-seconds nor an HTTP date', () => {
    expect(parseRetryAfter('-5', 0)).toBeUndefined();
    expect(parseRetryAfter('12.5', 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
