import { describe, expect, it } from 'vitest';

import { countTokens } from '../src/limits/countTokens.js';

describe('countTokens', () => {
  it('counts lexical tokens, without <SOF>, <EOF> or comments', () => {
    expect(countTokens('{ a }', 100)).toBe(3);
    // query Q ( $ id : ID ! ) { product ( sku : $ id ) { name } }
    expect(countTokens('query Q($id: ID!) { product(sku: $id) { name } }', 100)).toBe(21);
    expect(countTokens('# a comment\n{ a } # another', 100)).toBe(3);
    // A string is one token; commas are insignificant, like whitespace.
    expect(countTokens('{ a(s: "a string with spaces", b: """block""") }', 100)).toBe(11);
    expect(countTokens('', 100)).toBe(0);
  });

  it('stops one token past stopAfter, however long the document', () => {
    const huge = `{ ${'a '.repeat(500_000)}}`; // a megabyte, 500,002 tokens
    expect(countTokens(huge, 1_000)).toBe(1_001);
    expect(countTokens('{ a }', 3)).toBe(3);
    expect(countTokens('{ a }', 2)).toBe(3);
  });

  it('never reads past the stop: a syntax error further on is not reached', () => {
    const source = `${'a '.repeat(1_000)}~ ${'b '.repeat(1_000)}`;
    expect(countTokens(source, 10)).toBe(11);
    // With room to reach it, the error ends the count there.
    expect(countTokens(source, 5_000)).toBe(1_000);
  });

  it('ends the count at a lexing error, for the parser to report', () => {
    expect(countTokens('{ a "unterminated', 100)).toBe(2);
  });
});
