import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hashApiKey } from '@bff/gateway/identity';
import { repoRoot } from '@bff/testing';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run token` and `npm run apikey`, run as npm runs them, against a
// temporary key directory.
const dir = mkdtempSync(join(tmpdir(), 'dev-credentials-'));
const run = (script: string, args: string[]) => {
  const result = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', `scripts/${script}.ts`, ...args],
    { cwd: repoRoot, env: { ...process.env, DEV_KEYS_DIR: dir }, encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('the development credential scripts', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('token prints only a token, with the subject, class and scopes asked for', () => {
    const { status, stdout } = run('token', [
      '--sub',
      'alice',
      '--scopes',
      'crm:pii,finance:read',
      '--class',
      'internal',
    ]);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(decodeJwt(stdout.trim())).toMatchObject({
      sub: 'alice',
      scope: 'crm:pii finance:read',
      consumer_class: 'internal',
    });
  });

  it.each([
    [['--scopes', 'crm:pii'], '--sub is required'],
    [
      ['--sub', 'alice', '--class', 'admin'],
      '--class must be one of authenticated, partner, internal (got "admin")',
    ],
    [['--sub', 'alice', '--ttl', '0'], '--ttl must be a whole number of seconds above zero'],
    [['--sub', 'alice', '--colour', 'blue'], "Unknown option '--colour'"],
  ])('token %j exits 2 saying what was wrong', (args, message) => {
    const { status, stdout, stderr } = run('token', args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('apikey mints a key, stores only its hash, lists it and revokes it', () => {
    const minted = run('apikey', ['--partner', 'acme', '--scopes', 'crm:pii']);
    expect(minted.status).toBe(0);
    const key = minted.stdout.trim();
    expect(key).toMatch(/^bff_[\w-]{43}$/);
    const file = readFileSync(join(dir, 'api-keys.json'), 'utf8');
    expect(file).not.toContain(key);
    const [entry] = (JSON.parse(file) as { keys: { id: string; sha256: string }[] }).keys;
    expect(entry?.sha256).toBe(hashApiKey(key));

    expect(run('apikey', ['--list']).stdout).toBe(`${entry?.id}\tacme\tactive\tcrm:pii\n`);
    expect(run('apikey', ['--revoke', entry?.id as string]).status).toBe(0);
    expect(run('apikey', ['--list']).stdout).toBe(`${entry?.id}\tacme\trevoked\tcrm:pii\n`);
  });

  it.each([
    [[], 'give exactly one of --partner, --revoke, --list'],
    [['--partner', 'acme', '--list'], 'give exactly one of --partner, --revoke, --list'],
    [['--partner', 'a/b'], '--partner must be letters, digits'],
    [['--revoke', 'nobody-123'], 'No API key "nobody-123"'],
  ])('apikey %j exits 2 saying what was wrong', (args, message) => {
    const { status, stderr } = run('apikey', args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });
});
