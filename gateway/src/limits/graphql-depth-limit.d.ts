// graphql-depth-limit ships no types, and @types/graphql-depth-limit pulls in
// graphql 14 beside our graphql 16. This declares the part measureOperation
// uses, against our graphql.
declare module 'graphql-depth-limit' {
  import type { DocumentNode, GraphQLError } from 'graphql';

  /** What the rule reads of graphql's ValidationContext (which satisfies it). */
  interface DepthLimitContext {
    getDocument(): DocumentNode;
    reportError(error: GraphQLError): void;
  }

  interface DepthLimitOptions {
    /** Fields whose subtree is not measured (introspection `__` fields never are). */
    ignore?:
      | string
      | RegExp
      | ((fieldName: string) => boolean)
      | (string | RegExp | ((fieldName: string) => boolean))[];
  }

  /**
   * A validation rule reporting operations deeper than `maxDepth`; `callback`
   * receives every operation's depth, by operation name ('' when anonymous).
   * It throws a TypeError on a spread of an undefined fragment.
   */
  function depthLimit(
    maxDepth: number,
    options?: DepthLimitOptions,
    callback?: (depths: Record<string, number>) => void,
  ): <Context extends DepthLimitContext>(context: Context) => Context;

  export = depthLimit;
}
