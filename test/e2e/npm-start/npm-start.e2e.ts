import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getAvailablePort, postGraphQL, SandboxAdmin, UpstreamReader } from '@bff/testing';
import type { GraphQLResult } from '@bff/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { portIsClosed, repoRoot, spawnNode, waitForOk } from '../support.js';
import type { Spawned } from '../support.js';

const readme = () => readFileSync(join(repoRoot, 'README.md'), 'utf8');

/**
 * The README's example operations, exactly as printed there, and whether
 * each is sent with the README's token or (marked so) without credentials.
 */
function readmeExamples(): { name: string; query: string; anonymous: boolean }[] {
  return [
    ...readme().matchAll(/(<!-- sent without credentials -->\n\n)?```graphql\n([\s\S]*?)```/g),
  ].map((match) => {
    const query = match[2] as string;
    const name = /query (\w+)/.exec(query)?.[1] ?? 'unnamed';
    return { name, query, anonymous: match[1] !== undefined };
  });
}

/** The arguments of the first `npm run -s token -- …` command in `text` (the README's). */
function readmeTokenArguments(text = readme()): string[] {
  const line = /TOKEN=\$\(npm run -s token -- ([^)]*)\)/.exec(text);
  if (!line) throw new Error('the README no longer shows how to get a token');
  return (line[1] as string).split(/\s+/);
}

/** The README's section under `## <heading>`, up to the next one. */
function readmeSection(heading: string): string {
  const text = readme();
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`the README no longer has a section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Every `curl` command in the section's sh blocks, in order, continuation lines joined. */
function curlCommandsIn(section: string): string[] {
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    (block[1] as string)
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .filter((line) => line.startsWith('curl ')),
  );
}

/**
 * A command line's words as a POSIX shell splits them: single quotes
 * literal, `$NAME` expanded bare and in double quotes. Anything the shell
 * would treat specially unquoted (globs such as `?`, `&`, `;`, pipes,
 * redirections) is refused, so a README line cannot work only by accident.
 */
function shellWords(line: string, variables: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const expand = (from: number): number => {
    const name = /^\$(\w+)/.exec(line.slice(from))?.[1];
    const value = name === undefined ? undefined : variables[name];
    if (name === undefined || value === undefined) throw new Error(`unknown variable in: ${line}`);
    word = (word ?? '') + value;
    return from + name.length + 1;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      word ??= '';
      i += 1;
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
        if (line[i] === '$') i = expand(i);
        else if (line[i] === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) {
          word += line[i + 1];
          i += 2;
        } else {
          word += line[i];
          i += 1;
        }
      }
      i += 1;
    } else if (c === '$') {
      i = expand(i);
    } else if (/[?*[\]&;|<>()#`\\!{}~]/.test(c)) {
      throw new Error(`unquoted ${c} in: ${line}`);
    } else {
      word = (word ?? '') + c;
      i += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** What a README `curl` asks for, in the few options the README uses. */
interface Curl {
  line: string;
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** `-b <file>`: send the cookies of this jar. */
  readJar?: string;
  /** `-c <file>`: keep the answer's cookies in this jar. */
  writeJar?: string;
  /** `-i` or `-D -`: the headers are printed too. */
  showsHeaders: boolean;
}

function parseCurl(line: string, variables: Record<string, string>): Curl {
  const [command, ...args] = shellWords(line, variables);
  if (command !== 'curl') throw new Error(`not a curl: ${line}`);
  const curl: Partial<Curl> & { headers: Record<string, string> } = {
    line,
    headers: {},
    showsHeaders: false,
  };
  const valueOf = (option: string): string => {
    const value = args.shift();
    if (value === undefined) throw new Error(`${option} without a value in: ${line}`);
    return value;
  };
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '-s') continue;
    else if (arg === '-i') curl.showsHeaders = true;
    else if (arg === '-D' && valueOf(arg) === '-') curl.showsHeaders = true;
    else if (arg === '-X') curl.method = valueOf(arg);
    else if (arg === '-d') curl.body = valueOf(arg);
    else if (arg === '-b') curl.readJar = valueOf(arg);
    else if (arg === '-c') curl.writeJar = valueOf(arg);
    else if (arg === '-H') {
      const header = valueOf(arg);
      const colon = header.indexOf(':');
      if (colon < 1) throw new Error(`not a header: ${header}`);
      curl.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg.startsWith('-'))
      throw new Error(`the test does not know curl's ${arg}: ${line}`);
    else if (curl.url) throw new Error(`two URLs in: ${line}`);
    else curl.url = new URL(arg);
  }
  if (!curl.url) throw new Error(`no URL in: ${line}`);
  // As curl does: -d makes a POST, by default a form.
  curl.method ??= curl.body === undefined ? 'GET' : 'POST';
  if (curl.body !== undefined) curl.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return curl as Curl;
}

/** What each BFF screen shown in the README answers: status and top-level JSON keys. */
const bffScreens: {
  screen: string;
  port: string;
  method: string;
  path: RegExp;
  status: number;
  keys: string[];
  deprecated?: boolean;
}[] = [
  {
    screen: 'mobile product card',
    port: '4002',
    method: 'GET',
    path: /^\/m\/v1\/products\/[\w-]+$/,
    status: 200,
    keys: ['available', 'inStock', 'name', 'price', 'sku'],
  },
  {
    screen: 'mobile order feed',
    port: '4002',
    method: 'GET',
    path: /^\/m\/v1\/orders$/,
    status: 200,
    keys: ['nextCursor', 'orders'],
  },
  {
    screen: 'mobile order detail',
    port: '4002',
    method: 'GET',
    path: /^\/m\/v1\/orders\/\w+$/,
    status: 200,
    keys: [
      'customer',
      'fulfilment',
      'id',
      'lineCount',
      'lines',
      'number',
      'placedOn',
      'status',
      'tax',
      'total',
    ],
  },
  {
    screen: 'mobile customer card',
    port: '4002',
    method: 'GET',
    path: /^\/m\/v1\/customers\/\w+$/,
    status: 200,
    keys: ['activities', 'company', 'email', 'id', 'name', 'openOrders', 'phone', 'segment'],
  },
  {
    screen: 'mobile product card v0 (deprecated)',
    port: '4002',
    method: 'GET',
    path: /^\/m\/v0\/products\/[\w-]+$/,
    status: 200,
    keys: ['name', 'price', 'sku', 'stock'],
    deprecated: true,
  },
  {
    screen: 'web sign-in',
    port: '4001',
    method: 'POST',
    path: /^\/session$/,
    status: 201,
    keys: ['session'],
  },
  {
    screen: 'web customer overview',
    port: '4001',
    method: 'GET',
    path: /^\/pages\/customers\/\w+$/,
    status: 200,
    keys: ['account', 'activities', 'customer', 'moreActivities', 'openOrders'],
  },
  {
    screen: 'web order page',
    port: '4001',
    method: 'GET',
    path: /^\/pages\/orders\/\w+$/,
    status: 200,
    keys: ['customer', 'lines', 'order', 'shipments'],
  },
  {
    screen: 'web product search',
    port: '4001',
    method: 'GET',
    path: /^\/pages\/products$/,
    status: 200,
    keys: ['nextCursor', 'products', 'search'],
  },
  {
    screen: 'web GraphQL',
    port: '4001',
    method: 'POST',
    path: /^\/graphql$/,
    status: 200,
    keys: ['data'],
  },
  {
    screen: 'web sign-out',
    port: '4001',
    method: 'DELETE',
    path: /^\/session$/,
    status: 204,
    keys: [],
  },
];

function screenOf(curl: Curl) {
  const matches = bffScreens.filter(
    (s) => s.port === curl.url.port && s.method === curl.method && s.path.test(curl.url.pathname),
  );
  if (matches.length !== 1) throw new Error(`not one BFF screen the test knows: ${curl.line}`);
  return matches[0] as (typeof bffScreens)[number];
}

/** The README's BFF curls, in order, named by what they ask for. */
function readmeBffCurls(): { label: string; line: string }[] {
  return curlCommandsIn(readmeSection('Per-client backends')).map((line) => {
    const curl = parseCurl(line, { TOKEN: '<token>' });
    return {
      label: `${screenOf(curl).screen}: ${curl.method} ${curl.url.pathname}${curl.url.search}`,
      line,
    };
  });
}

describe('npm start', () => {
  const names = [
    'GATEWAY_PORT',
    'BFF_WEB_PORT',
    'BFF_MOBILE_PORT',
    'ERP_SUBGRAPH_PORT',
    'CRM_SUBGRAPH_PORT',
    'INVENTORY_SUBGRAPH_PORT',
    'ERP_SANDBOX_PORT',
    'CRM_SANDBOX_PORT',
    'INVENTORY_SANDBOX_PORT',
  ];
  const ports: Record<string, string> = {};
  let stack: Spawned;
  let gatewayUrl: string;
  let firstAnswer: GraphQLResult;
  /** The development keys of this run, away from the checkout's own .dev-keys. */
  const devKeysDir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
  let auth: Record<string, string>;
  /** What `npm run -s token -- <args>` prints (package.json), with this run's development key. */
  const mintToken = (args: string[]) =>
    execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/token.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, DEV_KEYS_DIR: devKeysDir }, encoding: 'utf8' },
    ).trim();

  beforeAll(async () => {
    for (const name of names) ports[name] = String(await getAvailablePort());
    // What `npm run token` runs (package.json), as the README shows it: on a
    // fresh checkout it creates the development key the gateway then trusts.
    auth = { authorization: `Bearer ${mintToken(readmeTokenArguments())}` };
    // What `npm start` runs (package.json), with ports from the environment.
    stack = spawnNode(['--conditions=source', '--import', 'tsx', 'scripts/start.ts'], {
      ...ports,
      DEV_KEYS_DIR: devKeysDir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    });
    gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
    // As a user would: poll the gateway's port, and query the moment it opens.
    await waitForOk(`http://127.0.0.1:${ports.GATEWAY_PORT}/health`, 90_000);
    firstAnswer = await postGraphQL(
      gatewayUrl,
      {
        query:
          '{ orders(first: 2) { nodes { number customer { name email } lines { product { name stock { available } } } } } }',
      },
      auth,
    );
    await stack.waitForLine(/Everything is up/, 30_000);
  });

  it('answers from the moment the gateway port opens: every system behind it is ready first', () => {
    expect(firstAnswer.body.errors).toBeUndefined();
  });

  afterAll(async () => {
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGKILL');
      await stack.exited;
    }
    rmSync(devKeysDir, { recursive: true, force: true });
  });

  it('prints the gateway URL and every service', () => {
    const text = stack.output.join('\n');
    expect(text).toContain(gatewayUrl);
    for (const port of Object.values(ports)) expect(text).toContain(`127.0.0.1:${port}`);
  });

  it('prints how to reach each BFF: the web sign-in and GraphiQL, a mobile screen', () => {
    const text = stack.output.join('\n');
    const web = `http://127.0.0.1:${ports.BFF_WEB_PORT}`;
    expect(text).toContain(`-X POST ${web}/session`);
    expect(text).toContain(`GraphiQL: open ${web}/graphql in a browser`);
    expect(text).toContain(`'http://127.0.0.1:${ports.BFF_MOBILE_PORT}/m/v1/orders?limit=5'`);
  });

  it.each(readmeExamples())(
    'answers the README example $name as recorded',
    async ({ name, query, anonymous }) => {
      const result = await postGraphQL(gatewayUrl, { query }, anonymous ? {} : auth);
      const expectsError = name === 'TooMany' || name === 'PublicCatalogue';
      expect(result.status).toBe(200);
      if (!expectsError) expect(result.body.errors).toBeUndefined();
      // Request ids differ on every run; everything else is seeded and exact.
      for (const error of result.body.errors ?? []) delete error.extensions?.requestId;
      await expect(`${JSON.stringify(result.body, null, 2)}\n`).toMatchFileSnapshot(
        `./smoke/${name}.json`,
      );
    },
  );

  it("runs the README's partner request: a key from `npm run apikey`, the committed operation by id", async () => {
    const text = readme();
    const keyArgs = /KEY=\$\(npm run -s apikey -- ([^)]*)\)/.exec(text)?.[1];
    const body = /-H "x-api-key: \$KEY" \\\n\s+-d '([^']*)'/.exec(text)?.[1];
    if (!keyArgs || !body) throw new Error('the README no longer shows the partner request');
    const key = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'scripts/apikey.ts', ...keyArgs.split(/\s+/)],
      { cwd: repoRoot, env: { ...process.env, DEV_KEYS_DIR: devKeysDir }, encoding: 'utf8' },
    ).trim();
    // The gateway re-reads the key file within a second.
    let result: GraphQLResult | undefined;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      result = await postGraphQL(gatewayUrl, JSON.parse(body), { 'x-api-key': key });
      if (result.status !== 401) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(result?.status).toBe(200);
    expect(result?.body.errors).toBeUndefined();
    expect(result?.body.data).toMatchObject({ product: { sku: 'SKU-10001' } });
  });

  it('shows in the README a curl for every BFF screen', () => {
    const shown = new Set(readmeBffCurls().map(({ label }) => label.split(':')[0]));
    expect([...shown].sort()).toEqual(bffScreens.map((s) => s.screen).sort());
  });

  describe("the README's BFF curls, run in order as written", () => {
    let variables: Record<string, string>;
    /** curl's cookie files: file name to cookie name to value. */
    const jars = new Map<string, Map<string, string>>();
    /** The README's ports, 4001 and 4002, to this run's. */
    const actualPort: Record<string, string | undefined> = {};

    beforeAll(() => {
      // The section's own token command, as a reader copies it.
      const args = readmeTokenArguments(readmeSection('Per-client backends'));
      variables = { TOKEN: mintToken(args) };
      actualPort['4001'] = ports.BFF_WEB_PORT;
      actualPort['4002'] = ports.BFF_MOBILE_PORT;
    });

    it.each(readmeBffCurls())('$label', async ({ line }) => {
      const curl = parseCurl(line, variables);
      const screen = screenOf(curl);
      expect(curl.url.hostname).toBe('127.0.0.1');
      const url = new URL(curl.url);
      url.port = actualPort[curl.url.port] as string;
      const headers = { ...curl.headers };
      if (curl.readJar) {
        const jar = jars.get(curl.readJar) ?? new Map<string, string>();
        if (jar.size > 0)
          headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      }
      const response = await fetch(url, {
        method: curl.method,
        headers,
        body: curl.body,
        redirect: 'manual',
      });
      if (curl.writeJar) {
        const jar = jars.get(curl.writeJar) ?? new Map<string, string>();
        for (const cookie of response.headers.getSetCookie()) {
          const [pair = '', ...attributes] = cookie.split(';').map((part) => part.trim());
          const name = pair.slice(0, pair.indexOf('='));
          const expires = attributes.find((a) => /^expires=/i.test(a))?.slice(8);
          const maxAge = attributes.find((a) => /^max-age=/i.test(a))?.slice(8);
          const gone =
            (maxAge !== undefined && Number(maxAge) <= 0) ||
            (maxAge === undefined && expires !== undefined && Date.parse(expires) <= Date.now());
          if (gone) jar.delete(name);
          else jar.set(name, pair.slice(name.length + 1));
        }
        jars.set(curl.writeJar, jar);
      }
      const text = await response.text();
      expect({ status: response.status, body: text.slice(0, 500) }).toMatchObject({
        status: screen.status,
      });
      const keys = text === '' ? [] : Object.keys(JSON.parse(text) as object).sort();
      expect(keys).toEqual(screen.keys);
      switch (screen.screen) {
        case 'mobile product card':
          expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
          break;
        case 'web sign-in':
          expect(curl.writeJar).toBeDefined();
          expect([...(jars.get(curl.writeJar as string)?.keys() ?? [])]).toEqual(['bff-web.sid']);
          break;
        case 'web GraphQL':
          expect((JSON.parse(text) as GraphQLResult['body']).errors).toBeUndefined();
          break;
        case 'web sign-out': {
          // The session is gone on the server, not only the cookie from the jar.
          expect(headers.cookie).toBeDefined();
          const after = await fetch(new URL('/session', url), {
            headers: { cookie: headers.cookie as string },
          });
          expect(after.status).toBe(401);
          if (curl.writeJar) expect(jars.get(curl.writeJar)?.size).toBe(0);
          break;
        }
      }
      if (screen.deprecated) {
        // The README says to look at the headers, so its curl must print them.
        expect(curl.showsHeaders).toBe(true);
        expect(response.headers.get('deprecation')).toMatch(/^@\d+$/);
        expect(response.headers.get('sunset')).toMatch(/ GMT$/);
      } else {
        expect(response.headers.get('deprecation')).toBeNull();
      }
    });
  });

  it('keeps its caches fresh: a price and a stock change in the sandboxes show on the next query', async () => {
    const PRODUCT =
      'query P($sku: ID!) { product(sku: $sku) { price { amount } stock { onHand } } }';
    type Product = { product: { price: { amount: string }; stock: { onHand: number } } };
    const order = await postGraphQL<{
      orders: { nodes: { lines: { product: { sku: string } }[] }[] };
    }>(gatewayUrl, { query: '{ orders(first: 1) { nodes { lines { product { sku } } } } }' }, auth);
    const sku = order.body.data!.orders.nodes[0]!.lines[0]!.product.sku;
    const read = async () =>
      (await postGraphQL<Product>(gatewayUrl, { query: PRODUCT, variables: { sku } }, auth)).body
        .data!.product;
    const before = await read(); // now cached by both subgraphs
    const price = (Math.round(Number(before.price.amount) * 100) / 100 + 1).toFixed(2);
    const onHand = before.stock.onHand + 5;
    const sandbox = (name: string) => new SandboxAdmin(`http://127.0.0.1:${ports[name]}`);
    await sandbox('ERP_SANDBOX_PORT').updateProduct(sku, { list_price: price });
    const wms = sandbox('INVENTORY_SANDBOX_PORT');
    const { levels } = await new UpstreamReader(wms, {
      clientId: 'inventory-subgraph',
      clientSecret: 'inventory-subgraph-dev-secret',
    }).get<{ levels: { qty_on_hand: number }[] }>(`/stock/${sku}`);
    await wms.setStock(sku, levels[0]!.qty_on_hand + 5);
    await expect
      .poll(read, { timeout: 5_000, interval: 50 })
      .toEqual({ price: { amount: price }, stock: { onHand } });
  });

  it('stops every service on SIGTERM and exits 0', async () => {
    stack.child.kill('SIGTERM');
    expect(await stack.exited).toBe(0);
    for (const port of Object.values(ports)) expect(await portIsClosed(Number(port))).toBe(true);
  });
});
