import { readFileSync } from 'node:fs';

import { consumerClasses } from '@bff/core';
import type { ConsumerClass } from '@bff/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { clientNamePattern } from '../persistedOperations/manifest.js';

/** The static limits an operation is measured against, before any subgraph is called. */
export interface OperationLimits {
  /** Lexical tokens in the document. */
  readonly tokens: number;
  /** Nesting of selections (graphql-depth-limit's count). */
  readonly depth: number;
  /** Aliased fields in the operation. */
  readonly aliases: number;
  /** Fields selected at the operation's root. */
  readonly rootFields: number;
  /** Directives on any one field. */
  readonly directivesPerField: number;
  /** Static cost from @cost/@listSize (IBM cost spec, as Apollo demand control). */
  readonly cost: number;
}

export type SafelistMode = 'off' | 'log-unknown' | 'enforce';

/** What one consumer class may do. */
export interface ConsumerPolicy {
  readonly rateLimit: { readonly requestsPerMinute: number; readonly burst: number };
  readonly limits: OperationLimits;
  /** Limits for operations from a trusted-document manifest (agreed in advance). */
  readonly persistedLimits: OperationLimits;
  /**
   * Free-form operations outside the client's manifest: run (off), run and
   * log (log-unknown), or refuse (enforce). Partners are always `enforce`
   * and may not send free-form operations at all.
   */
  readonly safelist: SafelistMode;
}

export type ConsumerPolicies = Readonly<Record<ConsumerClass, ConsumerPolicy>>;

/**
 * Safelist modes per client (`apollographql-client-name`), applied on top of
 * the caller's class: the stricter of the two wins.
 */
export type ClientSafelists = Readonly<Record<string, SafelistMode>>;

/** What a consumer-policy file configures. */
export interface LoadedConsumerPolicies {
  readonly classes: ConsumerPolicies;
  readonly clientSafelists: ClientSafelists;
}

/**
 * The starting budgets of docs/DESIGN (requests/min, burst, cost, depth), and
 * for the limits it leaves open, values that admit every operation of the
 * graph's own clients with room to spare while refusing the shapes that
 * exist only to hurt (hundreds of aliases, thousands of root fields).
 */
export const defaultConsumerPolicies: ConsumerPolicies = deepFreeze({
  anonymous: policy(30, 10, { tokens: 1_000, depth: 8, aliases: 10, rootFields: 5, cost: 500 }),
  authenticated: policy(100, 30, {
    tokens: 4_000,
    depth: 10,
    aliases: 30,
    rootFields: 10,
    cost: 2_000,
  }),
  partner: {
    ...policy(1_000, 100, { tokens: 4_000, depth: 10, aliases: 30, rootFields: 10, cost: 5_000 }),
    safelist: 'enforce',
  },
  internal: policy(10_000, 1_000, {
    tokens: 15_000,
    depth: 15,
    aliases: 100,
    rootFields: 30,
    cost: 20_000,
  }),
});

/**
 * The product's own BFFs send only the documents of their committed
 * manifests: anything else under their name is not theirs, whoever the end
 * user is.
 */
export const defaultClientSafelists: ClientSafelists = deepFreeze({
  'bff-mobile': 'enforce',
  'bff-web': 'enforce',
});

const safelistStrictness: Readonly<Record<SafelistMode, number>> = {
  off: 0,
  'log-unknown': 1,
  enforce: 2,
};

/** The stricter of two safelist modes (enforce > log-unknown > off). */
export function stricterSafelist(a: SafelistMode, b: SafelistMode): SafelistMode {
  return safelistStrictness[b] > safelistStrictness[a] ? b : a;
}

/** A client's own mode; `off` (no say) for a client the policy does not name. */
export function clientSafelistOf(
  clientSafelists: ClientSafelists,
  client: string | undefined,
): SafelistMode {
  // Own keys only: a client named "constructor" must not find Object's.
  return client !== undefined && Object.hasOwn(clientSafelists, client)
    ? (clientSafelists[client] as SafelistMode)
    : 'off';
}

function policy(
  requestsPerMinute: number,
  burst: number,
  limits: Omit<OperationLimits, 'directivesPerField'>,
): ConsumerPolicy {
  const all = { ...limits, directivesPerField: 5 };
  return {
    rateLimit: { requestsPerMinute, burst },
    limits: all,
    persistedLimits: all,
    safelist: 'off',
  };
}

const count = z.number().int('must be a whole number').positive('must be greater than zero');
const limitsOverride = z.strictObject({
  tokens: count.optional(),
  depth: count.optional(),
  aliases: count.optional(),
  rootFields: count.optional(),
  directivesPerField: count.optional(),
  cost: count.optional(),
});
const safelistMode = z.enum(['off', 'log-unknown', 'enforce'], {
  error: 'must be one of off, log-unknown, enforce',
});
const classOverride = z.strictObject({
  rateLimit: z
    .strictObject({ requestsPerMinute: count.optional(), burst: count.optional() })
    .optional(),
  limits: limitsOverride.optional(),
  persistedLimits: limitsOverride.optional(),
  safelist: safelistMode.optional(),
});
const clientsOverride = z.record(
  z.string().regex(clientNamePattern),
  z.strictObject({ safelist: safelistMode }),
  {
    // A name no request can carry would be a typo that silently protects nothing.
    error: (issue) =>
      issue.code === 'invalid_key'
        ? 'is not a client name apollographql-client-name can carry'
        : undefined,
  },
);
const fileSchema = z.strictObject({
  ...(Object.fromEntries(consumerClasses.map((c) => [c, classOverride.optional()])) as Record<
    ConsumerClass,
    z.ZodOptional<typeof classOverride>
  >),
  clients: clientsOverride.optional(),
});

export class ConsumerPolicyError extends Error {}

/**
 * The defaults with a file's overrides on top (YAML or JSON; every key
 * optional). `persistedLimits` start from the class's own `limits` and only
 * differ where the file says so; `clients` entries replace the default of
 * the clients they name. Every problem in the file is reported at once, with
 * its path.
 */
export function loadConsumerPolicies(path: string | undefined): LoadedConsumerPolicies {
  if (!path) return { classes: defaultConsumerPolicies, clientSafelists: defaultClientSafelists };
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConsumerPolicyError(`${path}: cannot be read: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new ConsumerPolicyError(`${path}:\n  ${problems.join('\n  ')}`);
  }
  const { clients, ...overrides } = parsed.data;
  const result = {} as Record<ConsumerClass, ConsumerPolicy>;
  for (const cls of consumerClasses) {
    const base = defaultConsumerPolicies[cls];
    const override = overrides[cls] ?? {};
    const limits = { ...base.limits, ...override.limits };
    if (cls === 'partner' && override.safelist && override.safelist !== 'enforce') {
      throw new ConsumerPolicyError(
        `${path}:\n  partner.safelist: partners run only their registered operations; it can only be enforce`,
      );
    }
    result[cls] = {
      rateLimit: { ...base.rateLimit, ...override.rateLimit },
      limits,
      persistedLimits: { ...limits, ...override.persistedLimits },
      safelist: cls === 'partner' ? 'enforce' : (override.safelist ?? base.safelist),
    };
  }
  const clientSafelists: Record<string, SafelistMode> = { ...defaultClientSafelists };
  for (const [client, { safelist }] of Object.entries(clients ?? {})) {
    clientSafelists[client] = safelist;
  }
  return { classes: deepFreeze(result), clientSafelists: deepFreeze(clientSafelists) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
