// `npm run -s pq:publish -- --client acme persisted-query-manifest.json`
// publishes a client's trusted documents (Apollo's persisted-query manifest
// format) to a running gateway: every replica sharing its store serves them at
// once, with no restart. The gateway checks each operation against the graph
// and refuses the whole manifest if one is wrong.
//   --gateway  the gateway's base URL (default GATEWAY_URL or http://127.0.0.1:4000)
//   --token    a bearer token with the pq:publish scope (default GATEWAY_TOKEN, else
//              one signed with the development key, which only a development gateway accepts)
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';

import { devSigningKey, signToken } from '@bff/gateway/identity';

import { devKeysDir, fail } from './lib/devKeys.js';

const usage =
  'usage: npm run -s pq:publish -- --client <name> <manifest.json> [--gateway URL] [--token T]';

let parsed;
try {
  parsed = parseArgs({
    options: {
      client: { type: 'string' },
      gateway: { type: 'string', default: process.env.GATEWAY_URL || 'http://127.0.0.1:4000' },
      token: { type: 'string', default: process.env.GATEWAY_TOKEN },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (!values.client) fail(`--client is required: whose operations these are.\n${usage}`);
if (positionals.length !== 1) fail(`give exactly one manifest file.\n${usage}`);
const file = positionals[0] as string;

let manifest: unknown;
try {
  manifest = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  fail(`${file}: cannot be read as JSON: ${(error as Error).message}`);
}
const token =
  values.token ??
  (await signToken(
    {
      sub: 'pq-publisher',
      class: 'internal',
      scopes: ['pq:publish'],
      expiresInSeconds: 300,
      audience: process.env.AUTH_AUDIENCE,
    },
    process.env.AUTH_HS256_SECRET
      ? { hs256Secret: process.env.AUTH_HS256_SECRET }
      : { privateJwk: (await devSigningKey(devKeysDir())).privateJwk },
  ));

const url = new URL(
  `/admin/persisted-operations/${encodeURIComponent(values.client)}`,
  values.gateway,
);
let response: Response;
try {
  response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(manifest),
  });
} catch (error) {
  fail(`${url.origin}: cannot reach the gateway: ${(error as Error).message}`);
}
const body = (await response.json().catch(() => ({}))) as {
  operations?: number;
  added?: number;
  error?: { code?: string; message?: string; details?: string[] };
};
if (!response.ok) {
  const details = (body.error?.details ?? []).map((d) => `\n  ${d}`).join('');
  fail(
    `refused (${response.status} ${body.error?.code ?? ''}): ${body.error?.message ?? ''}${details}`,
  );
}
process.stdout.write(
  `published ${body.operations} operations for ${values.client} (${body.added} new)\n`,
);
