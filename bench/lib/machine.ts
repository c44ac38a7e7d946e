import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A package's installed version. Some packages (@apollo/server) hide
 * package.json behind their exports map, so walk up from the entry point.
 */
function versionOf(pkg: string): string {
  try {
    let dir = dirname(require.resolve(pkg));
    for (let depth = 0; depth < 6; depth++, dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (manifest.name === pkg && manifest.version) return manifest.version;
      } catch {
        // no package.json at this level
      }
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

/** What a reader needs to know to compare a rerun with these figures. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    versions: Object.fromEntries(
      [
        '@apollo/gateway',
        '@apollo/server',
        '@graphql-hive/gateway',
        'graphql',
        'undici',
        'autocannon',
      ].map((p) => [p, versionOf(p)]),
    ),
  };
}
