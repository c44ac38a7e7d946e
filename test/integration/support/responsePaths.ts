// Test helper, not a test: response paths written as patterns, made concrete
// against a real response, so a table can say "email of every customer" or
// "order of every Invoice in the list" without knowing the data.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ResponsePath = (string | number)[];

/**
 * A path through the response data. In a list:
 * - `'*'` is every item;
 * - `'*:Type'` every item whose `__typename` is Type;
 * - `'first:Type'` the first such item only.
 * Other segments are response keys. `[]` is the data itself.
 */
export type PathPattern = readonly string[];

/** Every concrete path `pattern` names in `data` (which must carry `__typename` where a pattern filters by type). */
export function expandPattern(data: Json, pattern: PathPattern): ResponsePath[] {
  const results: ResponsePath[] = [];
  const visit = (value: Json, index: number, path: ResponsePath) => {
    if (index === pattern.length) {
      results.push(path);
      return;
    }
    const segment = pattern[index] as string;
    const typed = /^(\*|first):(\w+)$/.exec(segment);
    if (segment === '*' || typed) {
      if (!Array.isArray(value)) throw new Error(`"${segment}" at ${path.join('.')} needs a list`);
      let matched = false;
      value.forEach((item, i) => {
        if (typed?.[1] === 'first' && matched) return;
        if (typed) {
          const typename = (item as { __typename?: string } | null)?.__typename;
          if (typename === undefined) throw new Error(`no __typename at ${[...path, i].join('.')}`);
          if (typename !== typed[2]) return;
        }
        matched = true;
        visit(item, index + 1, [...path, i]);
      });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      // A null parent (a prospect's absent account, say): nothing below it to name.
      if (value === null) return;
      throw new Error(`"${segment}" at ${path.join('.')} needs an object`);
    }
    if (!(segment in value)) throw new Error(`no "${segment}" at ${path.join('.') || 'data'}`);
    visit(value[segment] as Json, index + 1, [...path, segment]);
  };
  visit(data, 0, []);
  return results;
}

/** `data` with null at each path (`[]` nulls the data itself). */
export function withNulls(data: Json, paths: readonly ResponsePath[]): Json {
  let copy = structuredClone(data);
  for (const path of paths) {
    if (path.length === 0) {
      copy = null;
      continue;
    }
    let holder = copy as Record<string | number, Json> | null;
    for (const key of path.slice(0, -1))
      holder = (holder?.[key] ?? null) as Record<string | number, Json> | null;
    if (holder) holder[path.at(-1) as string | number] = null;
  }
  return copy;
}

/** Data with every `__typename` the pattern language needed taken out again. */
export function withoutTypenames(data: Json): Json {
  if (Array.isArray(data)) return data.map(withoutTypenames);
  if (data === null || typeof data !== 'object') return data;
  return Object.fromEntries(
    Object.entries(data)
      .filter(([key]) => key !== '__typename')
      .map(([key, value]) => [key, withoutTypenames(value)]),
  );
}
