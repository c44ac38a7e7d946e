import { Lexer, Source, TokenKind } from 'graphql';

/**
 * The GraphQL lexical tokens in `source` (punctuators, names, numbers,
 * strings; not `<SOF>`/`<EOF>`, and not comments, which the lexer skips, as
 * graphql's parser does when it enforces `maxTokens`). Counting stops at
 * `stopAfter + 1`: whatever the size of the document, refusing it costs at
 * most that many tokens' work. A lexing error ends the count where it
 * happened; parsing reports the error itself.
 */
export function countTokens(source: string, stopAfter: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count <= stopAfter) {
      if (lexer.advance().kind === TokenKind.EOF) break;
      count += 1;
    }
  } catch {
    // A syntax error: the count so far stands, and the parser will say what is wrong.
  }
  return count;
}
