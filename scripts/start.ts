// `npm start`: the whole stack on the design's ports, from source, in one
// terminal: three sandbox upstreams, three subgraphs, the gateway, and the
// per-client backends of the web app (bff-web) and the mobile app (bff-mobile).
import process from 'node:process';

import { build as prettyStream } from 'pino-pretty';

import { launch, stopAll, waitUntilReady } from './lib/launch.js';
import type { RunningService } from './lib/launch.js';
import { stackPlan, stackPortsSchema } from './lib/stackPlan.js';

const parsed = stackPortsSchema.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) {
    console.error(`${issue.path.join('.') || 'ports'}: ${issue.message}`);
  }
  process.exit(1);
}
const plan = stackPlan(parsed.data);

// LOG_FORMAT=json passes the services' JSON lines through untouched.
const pretty =
  process.env.LOG_FORMAT === 'json'
    ? undefined
    : prettyStream({
        colorize: process.stdout.isTTY,
        translateTime: 'HH:MM:ss.l',
        // What the message shows is not repeated after it (the hash is for queries, not eyes).
        ignore: 'pid,hostname,service,req,route,operationName,operationHash,status,durationMs',
        messageFormat: (log, messageKey) =>
          `${String(log.service)} | ${summaryOf(log, messageKey)}`,
        singleLine: true,
        // pino-pretty writes to stdout itself; its readable side only echoes input.
        destination: 1,
      });
/**
 * A line's message, then what it is about: for an access line the method,
 * route (or URL), operation, status and duration (`POST /graphql Orders 200
 * 41 ms`); for an upstream call its route, status and duration. The other fields
 * (request id, consumer, client, cost, error codes) follow as they are.
 */
function summaryOf(log: Record<string, unknown>, messageKey: string): string {
  const req = log.req as { method?: string; url?: string } | undefined;
  const parts = [String(log[messageKey] ?? '')];
  if (req) parts.push(`${req.method ?? ''} ${String(log.route ?? req.url ?? '')}`);
  else if (typeof log.route === 'string') parts.push(log.route);
  if (typeof log.operationName === 'string') parts.push(log.operationName);
  if (log.status !== undefined) parts.push(String(log.status));
  if (typeof log.durationMs === 'number') parts.push(`${log.durationMs} ms`);
  return parts.join(' ');
}

const print = (line: string, spec: { name: string }) => {
  if (pretty && line.startsWith('{')) pretty.write(`${line}\n`);
  else process.stdout.write(`${spec.name} | ${line}\n`);
};

const sharedEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
const started = Date.now();
const services: RunningService[] = [];

let stopping = false;
async function shutdown(code: number, reason: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log(`\n${reason}: stopping every service...`);
    await stopAll(services, 15_000);
    console.log('all services stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));

// In dependency order, each wave ready before the next starts: when the
// gateway's port opens, every system behind it answers.
const waves = [
  plan.filter((s) => s.name.startsWith('sandbox-')),
  plan.filter((s) => s.name.startsWith('subgraph-')),
  plan.filter((s) => s.name === 'gateway'),
  plan.filter((s) => s.name.startsWith('bff-')),
];
try {
  for (const wave of waves) {
    if (stopping) break;
    const launched = wave.map((spec) => launch(spec, sharedEnv, print));
    services.push(...launched);
    for (const service of launched) {
      void service.exited.then((code) => {
        if (!stopping) void shutdown(1, `${service.spec.name} exited (${code})`);
      });
    }
    await Promise.all(launched.map((s) => waitUntilReady(s, 60_000)));
  }
} catch (error) {
  await shutdown(1, (error as Error).message);
}

const gateway = plan.find((s) => s.name === 'gateway');
const web = plan.find((s) => s.name === 'bff-web');
const mobile = plan.find((s) => s.name === 'bff-mobile');
console.log(`
Everything is up after ${((Date.now() - started) / 1000).toFixed(1)} s.

  gateway     ${gateway?.url}
${plan
  .filter((s) => s.name !== 'gateway')
  .map((s) => `  ${s.name.padEnd(18)} ${s.url}`)
  .join('\n')}

Try a query that crosses all three systems. Orders need a signed-in caller,
customer emails the crm:pii scope and accounts finance:read; npm run token
signs a token with the development key in .dev-keys/:

  TOKEN=$(npm run -s token -- --sub alice --scopes crm:pii,finance:read)
  curl -s ${gateway?.url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
    -d '{"query":"{ orders(first: 2) { nodes { number total { amount currency } customer { name email } lines { quantity product { name stock { available } } } } } }"}'

Each app has its own backend over the same graph:

  bff-web     ${web?.url}
    the web app's pages and /graphql, behind a session cookie: sign in with POST /session
    curl -s -c cookies.txt -X POST ${web?.url}/session -H "authorization: Bearer $TOKEN"
    curl -s -b cookies.txt ${web?.url}/pages/customers/C000464
    GraphiQL: open ${web?.url}/graphql in a browser

  bff-mobile  ${mobile?.url}
    the mobile app's slim, cacheable screens; the token on every request:
    curl -s '${mobile?.url}/orders?limit=5' -H "authorization: Bearer $TOKEN"

Every screen, with a curl each: README.md, "Per-client backends".

Ctrl-C stops everything.
`);
