import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
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
