import { z } from 'zod';

/** Reusable pieces of every service's environment schema. */
export const env = {
  port: (defaultPort: number) =>
    z.coerce
      .number({ error: 'must be a TCP port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(defaultPort),

  positiveInt: (defaultValue: number) =>
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .positive('must be greater than zero')
      .default(defaultValue),

  nonNegativeInt: (defaultValue: number) =>
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be zero or more')
      .default(defaultValue),

  url: () => z.url({ error: 'must be an absolute URL such as http://127.0.0.1:4201' }),

  boolean: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], {
        error: 'must be one of true, false, 1, 0, yes, no',
      })
      .default(defaultValue ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),

  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),

  logLevel: () =>
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** Comma-separated list, trimmed, empty entries dropped. */
  list: () =>
    z.string().transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
};

/** Variables every HTTP service reads. */
export function serviceEnvShape(defaultPort: number) {
  return {
    NODE_ENV: env.nodeEnv(),
    HOST: z.string().default('127.0.0.1'),
    PORT: env.port(defaultPort),
    LOG_LEVEL: env.logLevel(),
    /** How long SIGTERM waits for in-flight requests before exiting. */
    SHUTDOWN_GRACE_MS: env.nonNegativeInt(10_000),
    /**
     * OTLP/HTTP collector (http://collector:4318): spans are exported to
     * `<it>/v1/traces` when set; unset, `traceparent` is only passed on.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: env.url().optional(),
  };
}
