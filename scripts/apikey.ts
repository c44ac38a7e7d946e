// Development partner API keys, in .dev-keys/api-keys.json (or API_KEYS_FILE):
//   npm run -s apikey -- --partner acme --scopes crm:pii   mints a key and prints it (once)
//   npm run -s apikey -- --revoke <id>                       revokes it; the gateway notices within a second
//   npm run -s apikey -- --list                              lists ids, partners, scopes
import process from 'node:process';
import { parseArgs } from 'node:util';

import { addApiKey, devApiKeyFile, readApiKeyFile, revokeApiKey } from '@bff/gateway/identity';

import { devKeysDir, fail } from './lib/devKeys.js';

const usage =
  'usage: npm run -s apikey -- --partner <id> [--scopes a,b] | --revoke <key id> | --list';

let values;
try {
  ({ values } = parseArgs({
    options: {
      partner: { type: 'string' },
      scopes: { type: 'string', default: '' },
      revoke: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
const file = process.env.API_KEYS_FILE || devApiKeyFile(devKeysDir());
const actions = [values.partner !== undefined, values.revoke !== undefined, values.list].filter(
  Boolean,
);
if (values.help || actions.length !== 1) {
  if (!values.help) fail(`give exactly one of --partner, --revoke, --list.\n${usage}`);
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

try {
  if (values.list) {
    for (const key of readApiKeyFile(file, { missingIsEmpty: true }).keys) {
      const state = key.revoked ? 'revoked' : 'active';
      process.stdout.write(`${key.id}\t${key.partnerId}\t${state}\t${key.scopes.join(',')}\n`);
    }
  } else if (values.revoke !== undefined) {
    const entry = revokeApiKey(file, values.revoke);
    process.stderr.write(`revoked ${entry.id} (partner ${entry.partnerId}) in ${file}\n`);
  } else {
    if (!/^[\w.-]+$/.test(values.partner as string))
      fail('--partner must be letters, digits, ".", "_" or "-".');
    const scopes = values.scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const { id, key } = addApiKey(file, values.partner as string, scopes);
    process.stderr.write(
      `key ${id} for partner ${values.partner} stored (hashed) in ${file}; it is shown only now:\n`,
    );
    process.stdout.write(`${key}\n`);
  }
} catch (error) {
  fail((error as Error).message);
}
