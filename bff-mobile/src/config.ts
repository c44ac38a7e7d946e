import { createRequire } from 'node:module';

import { gatewayEnvShape } from '@bff/bff-kit';
import { parseConfig, serviceEnvShape } from '@bff/core';
import type { Config } from '@bff/core';
import { z } from 'zod';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** A calendar date (midnight UTC) or a date-time with its offset, as a Date. */
const isoInstant = () =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error: 'must be an ISO date such as 2026-09-01 or a date-time such as 2026-09-01T00:00:00Z',
    })
    .transform((value) => new Date(value));

export const envSchema = z
  .object({
    ...serviceEnvShape(4002),
    ...gatewayEnvShape('bff-mobile', version),
    /** When /m/v0 was deprecated (or will be): its answers' `Deprecation` header. */
    V0_DEPRECATED_AT: isoInstant().default(new Date('2026-09-01T00:00:00Z')),
    /** When /m/v0 stops answering (410 from then on): its answers' `Sunset` header. */
    V0_SUNSET_AT: isoInstant().default(new Date('2027-06-30T00:00:00Z')),
  })
  // A sunset before the deprecation would tell apps a version is gone before
  // they were ever told to move off it.
  .superRefine((config, context) => {
    if (config.V0_SUNSET_AT.getTime() <= config.V0_DEPRECATED_AT.getTime())
      context.addIssue({
        code: 'custom',
        path: ['V0_SUNSET_AT'],
        message: `must be after V0_DEPRECATED_AT (${config.V0_DEPRECATED_AT.toISOString()})`,
      });
  });

export type MobileConfig = Config<typeof envSchema>;

export function loadConfig(environment: Record<string, string | undefined>): MobileConfig {
  return parseConfig('bff-mobile', envSchema, environment);
}
