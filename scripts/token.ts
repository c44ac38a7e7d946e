// `npm run -s token -- --sub alice --scopes crm:pii,finance:read [--class internal] [--ttl 3600]`
// prints a bearer token the local gateway accepts: signed with the development
// key in .dev-keys/ (created on first use), or with AUTH_HS256_SECRET if set.
import process from 'node:process';
import { parseArgs } from 'node:util';

import { devSigningKey, signToken } from '@bff/gateway/identity';

import { devKeysDir, fail } from './lib/devKeys.js';

const classes = ['authenticated', 'partner', 'internal'] as const;
const usage = `usage: npm run -s token -- --sub <id> [--scopes a,b] [--class ${classes.join('|')}] [--ttl seconds]`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scopes: { type: 'string', default: '' },
      class: { type: 'string', default: 'authenticated' },
      ttl: { type: 'string', default: '3600' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!values.sub) fail(`--sub is required: who the token is for.\n${usage}`);
const cls = values.class as (typeof classes)[number];
if (!classes.includes(cls))
  fail(`--class must be one of ${classes.join(', ')} (got "${values.class}").`);
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0)
  fail(`--ttl must be a whole number of seconds above zero (got "${values.ttl}").`);
const scopes = values.scopes
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

const secret = process.env.AUTH_HS256_SECRET;
const key = secret
  ? { hs256Secret: secret }
  : { privateJwk: (await devSigningKey(devKeysDir())).privateJwk };
const token = await signToken(
  {
    sub: values.sub,
    class: cls,
    scopes,
    expiresInSeconds: ttl,
    audience: process.env.AUTH_AUDIENCE,
  },
  key,
);
process.stdout.write(`${token}\n`);
