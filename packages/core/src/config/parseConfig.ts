import type { z } from 'zod';

/**
 * A problem the operator must fix before the service can start (bad
 * configuration, a supergraph that does not compose): reported as its message
 * alone, without a stack trace.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Thrown at boot when the environment does not satisfy a service's schema. */
export class ConfigError extends StartupError {
  override name = 'ConfigError';
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${service}: invalid configuration; fix these environment variables and start again:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends readonly (infer U)[]
      ? readonly DeepReadonly<U>[]
      : T extends object
        ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
        : T;

/** The validated, frozen configuration a schema describes. */
export type Config<S extends z.ZodType> = DeepReadonly<z.output<S>>;

/**
 * Validates `env` against `schema`: defaults applied, types coerced, unknown
 * keys dropped, every problem reported in one throw, and the result frozen
 * so nothing downstream can change configuration at run time.
 */
export function parseConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined>,
): Config<S> {
  // An empty string means "not set" for every variable: shells and compose
  // files make `FOO=` easy to write by accident.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      const given = issue.path.length > 0 ? cleaned[String(issue.path[0])] : undefined;
      // The value helps find a typo, except where the value is a secret.
      return given === undefined || isSecret(variable)
        ? `${variable}: ${issue.message}`
        : `${variable}: ${issue.message} (got ${JSON.stringify(given)})`;
    });
    throw new ConfigError(service, problems);
  }
  return deepFreeze(result.data) as Config<S>;
}

/** Variables whose values must never reach an error message or a log. */
function isSecret(variable: string): boolean {
  return /SECRET|PASSWORD|TOKEN|_KEY$/.test(variable);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
