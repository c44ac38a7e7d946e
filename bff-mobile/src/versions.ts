import type { MobileConfig } from './config.js';

/** A version of the mobile API that older app releases still call. */
export interface DeprecatedVersion {
  /** The path segment: `/m/<name>/…`. */
  readonly name: string;
  /** The version its routes' `successor-version` links point to. */
  readonly successor: string;
  readonly deprecatedAt: Date;
  /** From this instant on, the version answers 410. */
  readonly sunsetAt: Date;
}

/**
 * Every version the BFF serves: the one current version new app releases
 * call, and the deprecated ones kept working for the releases still out
 * there, each until its sunset.
 */
export interface VersionRegistry {
  readonly current: string;
  readonly deprecated: { readonly v0: DeprecatedVersion };
}

export function versionRegistry(config: MobileConfig): VersionRegistry {
  return {
    current: 'v1',
    deprecated: {
      v0: {
        name: 'v0',
        successor: 'v1',
        deprecatedAt: new Date(config.V0_DEPRECATED_AT.getTime()),
        sunsetAt: new Date(config.V0_SUNSET_AT.getTime()),
      },
    },
  };
}
