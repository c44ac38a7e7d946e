import { getOperationAST, GraphQLError, parse } from 'graphql';
import type { DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';

import { measureOperation } from '../src/limits/measureOperation.js';

const measure = (query: string, operationName?: string) => {
  const document = parse(query);
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('no such operation');
  return measureOperation(document, operation);
};

const refusal = (run: () => unknown): GraphQLError => {
  try {
    run();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('expected a refusal');
};

/** `{ a { a { … { id } } } }`, `levels` fields with a selection set deep. */
const nested = (levels: number) => `{ ${'a { '.repeat(levels)}id${' }'.repeat(levels)} }`;

describe('operation depth (graphql-depth-limit)', () => {
  it('counts the fields with a selection set on the deepest path', () => {
    expect(measure('{ id }').depth).toBe(0);
    expect(measure('{ a { id } b { c { id } } }').depth).toBe(2);
  });

  it('measures just under and just over a limit of 8 as 8 and 9', () => {
    expect(measure(nested(8)).depth).toBe(8);
    expect(measure(nested(9)).depth).toBe(9);
  });

  it('follows fragments and inline fragments without counting them as levels', () => {
    expect(measure('{ a { ...F } } fragment F on A { b { c { id } } }').depth).toBe(3);
    expect(measure('{ a { ... on A { b { ...G } } } } fragment G on B { c { id } }').depth).toBe(3);
  });

  it('does not measure introspection', () => {
    expect(measure('{ __schema { types { fields { type { name } } } } }').depth).toBe(0);
  });

  it('measures only the operation asked for', () => {
    const query = `query Shallow { id } query Deep ${nested(5)}`;
    expect(measure(query, 'Shallow').depth).toBe(0);
    expect(measure(query, 'Deep').depth).toBe(5);
  });

  it('refuses a spread of an undefined fragment with a 400 validation error, not a TypeError', () => {
    const error = refusal(() => measure('{ a { ...Missing } }'));
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('Unknown fragment "Missing".');
    expect(error.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      http: { status: 400 },
    });
  });

  it('refuses a fragment cycle the same way instead of recursing forever', () => {
    const error = refusal(() =>
      measure('{ ...A } fragment A on Query { a { ...B } } fragment B on A { ...A }'),
    );
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses, quickly, fragments that expand past what can be measured', () => {
    // Each Fi spreads F(i-1) twice: 2^40 selections once expanded.
    const fragments = ['fragment F0 on Query { id }'];
    for (let i = 1; i <= 40; i++)
      fragments.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    const started = performance.now();
    const error = refusal(() => measure(`{ ...F40 } ${fragments.join(' ')}`));
    expect(error.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('aliases, root fields and directives per field', () => {
  it('counts aliases across the operation, once per spread of their fragment', () => {
    // x, y here; z in F, spread twice
    const query = '{ x: a { y: b } ...F ...F } fragment F on Query { z: a { id } }';
    expect(measure(query).aliases).toBe(4);
    expect(measure('{ a { b } }').aliases).toBe(0);
  });

  it('counts the root fields, following root fragments', () => {
    // a, b, c (inline fragment), d and e (fragment F); f is not at the root
    const query = '{ a b ...F ... on Query { c } } fragment F on Query { d e { f } }';
    expect(measure(query).rootFields).toBe(5);
    expect(measure('{ __typename }').rootFields).toBe(1);
  });

  it('reports the most directives on any one selection', () => {
    expect(measure('{ a }').directivesPerField).toBe(0);
    expect(measure('{ a @skip(if: false) @include(if: true) b @x }').directivesPerField).toBe(2);
    expect(measure('{ ...F @a } fragment F on Query { b { c @x @y @z } }').directivesPerField).toBe(
      3,
    );
  });

  it('measures the documents the other guards see', () => {
    const document: DocumentNode = parse(
      'query Q($id: ID!) { order(id: $id) { id lines { n: quantity } } }',
    );
    const operation = getOperationAST(document, 'Q');
    expect(operation && measureOperation(document, operation)).toEqual({
      depth: 2,
      aliases: 1,
      rootFields: 1,
      directivesPerField: 0,
    });
  });
});
