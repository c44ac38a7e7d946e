import { ErrorCode } from '@bff/core';
import { GraphQLError, Kind } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  FragmentSpreadNode,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import depthLimit from 'graphql-depth-limit';

/** What the operation-limit guard compares with the caller's budgets. */
export interface OperationMeasurements {
  /**
   * Nesting, as graphql-depth-limit counts it: fields with a selection set
   * on the deepest path (`{ a }` is 0, `{ a { b } }` is 1); fragments add
   * no level, introspection (`__`) fields are not measured.
   */
  depth: number;
  /** Aliased fields, once per spread of the fragment they sit in. */
  aliases: number;
  /** Fields selected at the root, through root fragments too, `__typename` included. */
  rootFields: number;
  /** The most directives on any one selection: field, fragment spread or inline fragment. */
  directivesPerField: number;
}

export interface MeasureOperationOptions {
  /**
   * graphql-depth-limit walks every spread of every fragment, so fragments
   * that spread fragments twice over take it 2^n steps. Past this many
   * selections, fragments expanded, the operation is refused unmeasured.
   * @default 20000
   */
  maxExpandedSelections?: number;
}

interface Summary {
  aliases: number;
  /** Fields at this level, fragments followed. */
  fields: number;
  directives: number;
  /** Selections under this set, fragments expanded: about the depth walk's steps. */
  selections: number;
}

const invalid = (message: string, nodes: FragmentSpreadNode) =>
  new GraphQLError(message, {
    nodes,
    extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
  });

/**
 * Measures one operation of a parsed document for the static limits. The
 * depth comes from graphql-depth-limit; the rest from one walk, memoized per
 * fragment. That walk runs first and turns what would crash graphql-depth-
 * limit (a spread of an undefined fragment: TypeError; a fragment cycle:
 * endless recursion) into a GRAPHQL_VALIDATION_FAILED GraphQLError with
 * HTTP status 400, as graphql's validation would, for callers that measure
 * before validating.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  options: MeasureOperationOptions = {},
): OperationMeasurements {
  const maxSelections = options.maxExpandedSelections ?? 20_000;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const summaries = new Map<string, Summary>();
  const inProgress = new Set<string>();

  const fragmentSummary = (spread: FragmentSpreadNode): Summary => {
    const name = spread.name.value;
    const known = summaries.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) throw invalid(`Unknown fragment "${name}".`, spread);
    if (inProgress.has(name))
      throw invalid(`Cannot spread fragment "${name}" within itself.`, spread);
    inProgress.add(name);
    const summary = summarize(fragment.selectionSet);
    inProgress.delete(name);
    summaries.set(name, summary);
    return summary;
  };

  const summarize = (selectionSet: SelectionSetNode): Summary => {
    const total: Summary = { aliases: 0, fields: 0, directives: 0, selections: 0 };
    const add = (inner: Summary, sameLevel: boolean) => {
      total.aliases += inner.aliases;
      total.directives = Math.max(total.directives, inner.directives);
      total.selections += inner.selections;
      if (sameLevel) total.fields += inner.fields;
    };
    for (const selection of selectionSet.selections) {
      total.selections += 1;
      total.directives = Math.max(total.directives, selection.directives?.length ?? 0);
      if (selection.kind === Kind.FIELD) {
        total.fields += 1;
        if (selection.alias) total.aliases += 1;
        if (selection.selectionSet) add(summarize(selection.selectionSet), false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(summarize(selection.selectionSet), true);
      } else {
        add(fragmentSummary(selection), true);
      }
    }
    return total;
  };

  const summary = summarize(operation.selectionSet);
  if (summary.selections > maxSelections)
    throw new GraphQLError(
      `The operation selects ${summary.selections} fields and fragments once its fragments are ` +
        `expanded; at most ${maxSelections} can be measured. Spread fewer fragments.`,
      { extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } } },
    );

  // Only this operation (and the fragments) is measured: a document may hold
  // several operations, and the library measures every one it is shown.
  let depth = 0;
  const measured: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [operation, ...fragments.values()],
  };
  depthLimit(Number.POSITIVE_INFINITY, {}, (depths) => {
    depth = depths[operation.name?.value ?? ''] ?? 0;
  })({ getDocument: () => measured, reportError: () => undefined });

  return {
    depth,
    aliases: summary.aliases,
    rootFields: summary.fields,
    directivesPerField: summary.directives,
  };
}
