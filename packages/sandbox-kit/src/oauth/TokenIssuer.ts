import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenIssuerOptions {
  /** client_id → client_secret */
  clients: ReadonlyMap<string, string>;
  /** Lifetime of an access token. */
  ttlSeconds: number;
  /** @default Date.now */
  now?: () => number;
}

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: string };

/**
 * The sandbox's OAuth2 authorization server for the client-credentials grant:
 * opaque bearer tokens that expire, and can be expired on demand so tests can
 * prove a client refreshes transparently.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TokenIssuerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Verifies the client's credentials; undefined when they are wrong. */
  authenticate(clientId: string, clientSecret: string): boolean {
    const expected = this.options.clients.get(clientId);
    if (expected === undefined) return false;
    const a = Buffer.from(expected);
    const b = Buffer.from(clientSecret);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  issue(clientId: string): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    this.sweep();
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: this.now() + this.options.ttlSeconds * 1000 });
    return { access_token: token, token_type: 'Bearer', expires_in: this.options.ttlSeconds };
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'missing bearer token' };
    const entry = this.tokens.get(match[1] as string);
    if (!entry) return { ok: false, reason: 'unknown token' };
    if (entry.expiresAt <= this.now()) return { ok: false, reason: 'token expired' };
    return { ok: true, clientId: entry.clientId };
  }

  /** Expires every issued token now (admin: simulates expiry without waiting). */
  expireAll(): number {
    const count = this.tokens.size;
    for (const entry of this.tokens.values()) entry.expiresAt = 0;
    return count;
  }

  private sweep(): void {
    const now = this.now();
    if (this.tokens.size < 1_000) return;
    for (const [token, entry] of this.tokens) if (entry.expiresAt <= now) this.tokens.delete(token);
  }
}

/** Parses `SANDBOX_CLIENTS`-style text: "id:secret,id2:secret2". */
export function parseClients(text: string): Map<string, string> {
  const clients = new Map<string, string>();
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon < 1 || colon === pair.length - 1) {
      throw new Error(`client "${pair}" must be written as id:secret`);
    }
    clients.set(pair.slice(0, colon), pair.slice(colon + 1));
  }
  return clients;
}
