import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Removes every key under `prefix` from the Redis at `url`, so a test leaves
 * the machine's shared Redis as it found it. Uses redis-cli (SCAN, never
 * KEYS or FLUSHDB, which would touch what is not ours).
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  if (!/^[\w:.-]+$/.test(prefix)) throw new Error(`unsafe key prefix: ${prefix}`);
  const { stdout } = await run('redis-cli', ['-u', url, '--scan', '--pattern', `${prefix}*`]);
  const keys = stdout.split('\n').filter(Boolean);
  for (let i = 0; i < keys.length; i += 500) {
    await run('redis-cli', ['-u', url, 'DEL', ...keys.slice(i, i + 500)]);
  }
  return keys.length;
}
