import { SandboxHttpError } from './SandboxHttpError.js';

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new SandboxHttpError(400, 'invalid_parameter', `"${name}" must be given once`);
  }
  return value;
}

/** A comma-separated id list, trimmed, deduplicated, capped at `max`. */
export function idList(query: Query, name: string, max: number): string[] | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  return checkIds(
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    name,
    max,
  );
}

export function checkIds(ids: unknown, name: string, max: number): string[] {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id.length > 0)) {
    throw new SandboxHttpError(400, 'invalid_parameter', `"${name}" must be a list of ids`);
  }
  const unique = [...new Set(ids as string[])];
  if (unique.length === 0) {
    throw new SandboxHttpError(400, 'invalid_parameter', `"${name}" must name at least one id`);
  }
  if (unique.length > max) {
    throw new SandboxHttpError(
      400,
      'too_many_ids',
      `"${name}" names ${unique.length} ids; at most ${max} per request`,
    );
  }
  return unique;
}

export function intParam(
  query: Query,
  name: string,
  range: { min: number; max: number; default: number },
): number {
  const text = single(query, name);
  if (text === undefined) return range.default;
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new SandboxHttpError(
      400,
      'invalid_parameter',
      `"${name}" must be a whole number from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

export function stringParam(query: Query, name: string): string | undefined {
  return single(query, name);
}

export function enumParam<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new SandboxHttpError(
      400,
      'invalid_parameter',
      `"${name}" must be one of ${allowed.join(', ')}`,
    );
  }
  return value as T;
}
