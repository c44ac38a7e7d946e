import { createRequire } from 'node:module';

import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';

import { createErrorFormatter } from '../src/graphql/createErrorFormatter.js';
import { createLogger } from '../src/logger.js';
import type { Logger } from '../src/logger.js';

function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { service: 'test', level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

const location = [{ line: 3, column: 5 }];
const path = ['order', 'lines', 0];

describe('createErrorFormatter', () => {
  it('passes an error with a known code, stripped of internal extensions', () => {
    const { logger, lines } = capturingLogger();
    const format = createErrorFormatter({ logger });
    const formatted: GraphQLFormattedError = {
      message: 'The ERP system has no such record.',
      locations: location,
      path,
      extensions: {
        code: 'NOT_FOUND',
        upstream: 'erp',
        stacktrace: ['Error: at RestClient.request (/srv/app/RestClient.ts:1:1)'],
        exception: { sql: 'SELECT 1' },
        response: { url: 'http://erp.internal/orders/1', body: 'secret' },
        http: { status: 404 },
      },
    };
    expect(format(formatted, new Error('ignored'))).toStrictEqual({
      message: 'The ERP system has no such record.',
      locations: location,
      path,
      extensions: { code: 'NOT_FOUND', upstream: 'erp' },
    });
    // The input is left as it was.
    expect(formatted.extensions).toHaveProperty('stacktrace');
    expect(lines).toHaveLength(0);
  });

  it.each(['BAD_USER_INPUT', 'UPSTREAM_TIMEOUT', 'GRAPHQL_VALIDATION_FAILED', 'CONFLICT'])(
    'keeps the message of %s',
    (code) => {
      const format = createErrorFormatter({ logger: capturingLogger().logger });
      const error = new GraphQLError('Specific message', { extensions: { code, limit: 5 } });
      expect(format(error.toJSON(), error)).toStrictEqual({
        message: 'Specific message',
        extensions: { code, limit: 5 },
      });
    },
  );

  it.each([
    ['an unknown code', { code: 'ECONNREFUSED' }],
    ['no code', {}],
    ['no extensions', undefined],
    ['INTERNAL_SERVER_ERROR', { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] }],
    ['a non-string code', { code: 404 }],
  ])('masks an error with %s, keeping path and locations', (_label, extensions) => {
    const { logger, lines } = capturingLogger();
    const format = createErrorFormatter({ logger });
    const original = new Error('connect ECONNREFUSED 10.0.0.7:5432 (password=hunter2)');
    const result = format(
      { message: original.message, locations: location, path, extensions },
      original,
    );
    expect(result).toStrictEqual({
      message: 'Internal server error',
      locations: location,
      path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'unexpected error', path });
    expect((lines[0]?.err as { message: string }).message).toBe(original.message);
  });

  it('adds no path or locations when the error had none', () => {
    const format = createErrorFormatter({ logger: capturingLogger().logger });
    expect(format({ message: 'boom' }, new Error('boom'))).toStrictEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps the original message when exposeInternalErrors is set', () => {
    const format = createErrorFormatter({
      logger: capturingLogger().logger,
      exposeInternalErrors: true,
    });
    expect(
      format({ message: 'db down', path, extensions: { code: 'WEIRD' } }, new Error('db down')),
    ).toStrictEqual({
      message: 'db down',
      path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('logs the original error behind a resolver error wrapper', () => {
    const { logger, lines } = capturingLogger();
    const format = createErrorFormatter({ logger });
    const original = new TypeError('cannot read properties of undefined');
    // graphql ships both ESM and CJS builds: vitest gives this file the ESM one,
    // while @apollo/server (loaded by Node) checks `instanceof` against the CJS
    // one, which is also what graphql-js execution uses outside tests. Build
    // the wrapper from the class Apollo sees.
    const ExecutionGraphQLError = createRequire(import.meta.url)('graphql')
      .GraphQLError as typeof GraphQLError;
    const wrapped = new ExecutionGraphQLError(original.message, { originalError: original, path });
    format(wrapped.toJSON(), wrapped);
    expect((lines[0]?.err as { type: string }).type).toBe('TypeError');
  });

  describe('never throws', () => {
    const masked = {
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };

    it('when reading extensions throws', () => {
      const format = createErrorFormatter({ logger: capturingLogger().logger });
      const hostile = {
        message: 'x',
        get extensions(): Record<string, unknown> {
          throw new Error('getter exploded');
        },
      };
      expect(format(hostile, undefined)).toStrictEqual(masked);
    });

    it('when a known-code error cannot be copied', () => {
      const format = createErrorFormatter({ logger: capturingLogger().logger });
      const hostile = {
        get message(): string {
          throw new Error('message getter exploded');
        },
        extensions: { code: 'NOT_FOUND' },
      };
      expect(format(hostile as GraphQLFormattedError, undefined)).toStrictEqual(masked);
    });

    it('when the original error is a throwing proxy', () => {
      const format = createErrorFormatter({ logger: capturingLogger().logger });
      const proxy = new Proxy(
        {},
        {
          get() {
            throw new Error('proxy trap');
          },
          getPrototypeOf() {
            throw new Error('proxy trap');
          },
        },
      );
      expect(format({ message: 'x', path: ['a'] }, proxy)).toMatchObject({
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });

    it('when the logger throws', () => {
      const throwing = createLogger(
        { service: 'test', level: 'info' },
        {
          write() {
            throw new Error('disk full');
          },
        },
      );
      const format = createErrorFormatter({ logger: throwing });
      expect(format({ message: 'secret detail' }, new Error('secret detail'))).toStrictEqual(
        masked,
      );
    });

    it('for null or primitive originals', () => {
      const format = createErrorFormatter({ logger: capturingLogger().logger });
      for (const original of [null, undefined, 'a string', 42]) {
        expect(format({ message: 'm' }, original)).toStrictEqual(masked);
      }
    });
  });
});
