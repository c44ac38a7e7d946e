import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { env, serviceEnvShape } from '../src/config/envSchema.js';
import { ConfigError, parseConfig, StartupError } from '../src/config/parseConfig.js';

const serviceSchema = z.object(serviceEnvShape(4000));

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig with serviceEnvShape', () => {
  it('applies every default to an empty environment', () => {
    expect(parseConfig('svc', serviceSchema, {})).toStrictEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 4000,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 10_000,
    });
  });

  it('coerces numeric strings to numbers', () => {
    const config = parseConfig('svc', serviceSchema, {
      PORT: '8080',
      SHUTDOWN_GRACE_MS: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'debug',
      HOST: '0.0.0.0',
    });
    expect(config).toStrictEqual({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: 8080,
      LOG_LEVEL: 'debug',
      SHUTDOWN_GRACE_MS: 0,
    });
  });

  it('treats an empty string as unset, so the default applies', () => {
    const config = parseConfig('svc', serviceSchema, { PORT: '', LOG_LEVEL: '', HOST: '' });
    expect(config.PORT).toBe(4000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.HOST).toBe('127.0.0.1');
  });

  it('reports an empty required variable as missing, without a "got" value', () => {
    const schema = z.object({ API_URL: env.url() });
    const error = configErrorOf(() => parseConfig('svc', schema, { API_URL: '' }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^API_URL: /);
    expect(error.problems[0]).not.toContain('got');
  });

  it('drops variables the schema does not know', () => {
    const config = parseConfig('svc', serviceSchema, {
      PATH: '/usr/bin',
      HOME: '/root',
      PORT: '4001',
    });
    expect(Object.keys(config).sort()).toEqual([
      'HOST',
      'LOG_LEVEL',
      'NODE_ENV',
      'PORT',
      'SHUTDOWN_GRACE_MS',
    ]);
    expect(config).not.toHaveProperty('PATH');
  });

  it('reports every problem in one ConfigError naming each variable and its value', () => {
    const error = configErrorOf(() =>
      parseConfig('orders-svc', serviceSchema, {
        NODE_ENV: 'prod',
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        SHUTDOWN_GRACE_MS: '-5',
      }),
    );
    expect(error).toBeInstanceOf(StartupError);
    expect(error.name).toBe('ConfigError');
    expect(error.service).toBe('orders-svc');
    expect(error.problems).toHaveLength(4);
    expect(error.problems).toContain('PORT: must be a TCP port number (got "abc")');
    expect(error.problems).toContain('SHUTDOWN_GRACE_MS: must be zero or more (got "-5")');
    expect(error.message).toMatch(
      /^orders-svc: invalid configuration; fix these environment variables and start again:\n/,
    );
    for (const [variable, value] of [
      ['NODE_ENV', 'prod'],
      ['PORT', 'abc'],
      ['LOG_LEVEL', 'loud'],
      ['SHUTDOWN_GRACE_MS', '-5'],
    ] as const) {
      expect(error.message).toMatch(new RegExp(`\\n {2}- ${variable}: .*\\(got "${value}"\\)`));
    }
  });

  it.each(['CLIENT_SECRET', 'DB_PASSWORD', 'GITHUB_TOKEN', 'SANDBOX_ADMIN_KEY'])(
    'never echoes the value of the secret %s',
    (variable) => {
      const schema = z.object({ [variable]: z.string().min(32, 'must be at least 32 characters') });
      const error = configErrorOf(() => parseConfig('svc', schema, { [variable]: 'hunter2' }));
      expect(error.problems).toEqual([`${variable}: must be at least 32 characters`]);
      expect(error.message).not.toContain('hunter2');
    },
  );

  it('labels a problem with no variable as (environment)', () => {
    const schema = z
      .object({ A: z.string().optional(), B: z.string().optional() })
      .refine((c) => c.A !== undefined || c.B !== undefined, 'set A or B');
    const error = configErrorOf(() => parseConfig('svc', schema, {}));
    expect(error.problems).toEqual(['(environment): set A or B']);
  });

  it('freezes the result deeply', () => {
    const schema = z.object({
      ...serviceEnvShape(4000),
      ORIGINS: env.list(),
      NESTED: z.string().transform((s) => ({ inner: { value: s } })),
    });
    const config = parseConfig('svc', schema, { ORIGINS: 'a,b', NESTED: 'x' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ORIGINS)).toBe(true);
    expect(Object.isFrozen(config.NESTED)).toBe(true);
    expect(Object.isFrozen(config.NESTED.inner)).toBe(true);
    expect(() => {
      (config as { PORT: number }).PORT = 1;
    }).toThrow(TypeError);
    expect(() => (config.ORIGINS as string[]).push('c')).toThrow(TypeError);
    expect(() => {
      (config.NESTED.inner as { value: string }).value = 'y';
    }).toThrow(TypeError);
    expect(config.PORT).toBe(4000);
    expect(config.NESTED.inner.value).toBe('x');
  });
});

describe('env helpers', () => {
  const parse = (schema: z.ZodType, value: string | undefined): unknown =>
    (parseConfig('svc', z.object({ V: schema }), { V: value }) as { V: unknown }).V;
  const problemsOf = (schema: z.ZodType, value: string) =>
    configErrorOf(() => parseConfig('svc', z.object({ V: schema }), { V: value })).problems;

  it('port rejects fractions and out-of-range values', () => {
    expect(parse(env.port(1234), undefined)).toBe(1234);
    expect(parse(env.port(1234), '0')).toBe(0);
    expect(parse(env.port(1234), '65535')).toBe(65535);
    expect(problemsOf(env.port(1), '1.5')).toEqual(['V: must be a whole number (got "1.5")']);
    expect(problemsOf(env.port(1), '65536')).toEqual([
      'V: must be between 0 and 65535 (got "65536")',
    ]);
    expect(problemsOf(env.port(1), 'http')).toEqual(['V: must be a TCP port number (got "http")']);
  });

  it('positiveInt rejects zero; nonNegativeInt accepts it', () => {
    expect(parse(env.positiveInt(7), undefined)).toBe(7);
    expect(parse(env.positiveInt(7), '12')).toBe(12);
    expect(problemsOf(env.positiveInt(7), '0')).toEqual(['V: must be greater than zero (got "0")']);
    expect(parse(env.nonNegativeInt(7), '0')).toBe(0);
  });

  it('boolean accepts true/false/1/0/yes/no and applies its default', () => {
    const cases: [string, boolean][] = [
      ['true', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ];
    for (const [text, expected] of cases)
      expect(parse(env.boolean(!expected), text)).toBe(expected);
    expect(parse(env.boolean(true), undefined)).toBe(true);
    expect(parse(env.boolean(false), undefined)).toBe(false);
    expect(problemsOf(env.boolean(false), 'maybe')).toEqual([
      'V: must be one of true, false, 1, 0, yes, no (got "maybe")',
    ]);
  });

  it('list trims entries and drops empty ones', () => {
    expect(parse(env.list(), ' a, ,b ,,c ')).toEqual(['a', 'b', 'c']);
  });

  it('url rejects a relative or bare value', () => {
    expect(parse(env.url(), 'http://127.0.0.1:4201/api')).toBe('http://127.0.0.1:4201/api');
    expect(problemsOf(env.url(), 'localhost')).toEqual([
      'V: must be an absolute URL such as http://127.0.0.1:4201 (got "localhost")',
    ]);
  });
});
