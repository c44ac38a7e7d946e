import { describe, expect, it } from 'vitest';

import { TokenIssuer, parseClients } from '../src/oauth/TokenIssuer.js';

function issuerAt(start = 1_000_000, ttlSeconds = 60) {
  const clock = { now: start };
  const issuer = new TokenIssuer({
    clients: new Map([
      ['erp-subgraph', 'right-secret'],
      ['other', 'other-secret'],
    ]),
    ttlSeconds,
    now: () => clock.now,
  });
  return { issuer, clock };
}

describe('TokenIssuer.authenticate', () => {
  it('accepts the right secret only, for a known client only', () => {
    const { issuer } = issuerAt();
    expect(issuer.authenticate('erp-subgraph', 'right-secret')).toBe(true);
    expect(issuer.authenticate('erp-subgraph', 'wrong-secret')).toBe(false);
    expect(issuer.authenticate('erp-subgraph', 'right-secre')).toBe(false);
    expect(issuer.authenticate('erp-subgraph', '')).toBe(false);
    expect(issuer.authenticate('erp-subgraph', 'other-secret')).toBe(false);
    expect(issuer.authenticate('unknown', 'right-secret')).toBe(false);
    expect(issuer.authenticate('', '')).toBe(false);
  });
});

describe('TokenIssuer tokens', () => {
  it('issues distinct bearer tokens with the configured lifetime', () => {
    const { issuer } = issuerAt(0, 90);
    const a = issuer.issue('erp-subgraph');
    const b = issuer.issue('erp-subgraph');
    expect(a.token_type).toBe('Bearer');
    expect(a.expires_in).toBe(90);
    expect(a.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(b.access_token).not.toBe(a.access_token);
  });

  it('accepts a token until its ttl has passed, then refuses it as expired', () => {
    const { issuer, clock } = issuerAt(1_000_000, 60);
    const { access_token } = issuer.issue('other');
    expect(issuer.check(`Bearer ${access_token}`)).toEqual({ ok: true, clientId: 'other' });
    clock.now += 59_999;
    expect(issuer.check(`Bearer ${access_token}`)).toEqual({ ok: true, clientId: 'other' });
    clock.now += 1;
    expect(issuer.check(`Bearer ${access_token}`)).toEqual({ ok: false, reason: 'token expired' });
  });

  it('accepts the scheme in any case', () => {
    const { issuer } = issuerAt();
    const { access_token } = issuer.issue('erp-subgraph');
    expect(issuer.check(`bearer ${access_token}`).ok).toBe(true);
    expect(issuer.check(`BEARER   ${access_token}`).ok).toBe(true);
  });

  it('expireAll() makes every issued token fail and says how many there were', () => {
    const { issuer } = issuerAt();
    const tokens = [issuer.issue('erp-subgraph'), issuer.issue('other'), issuer.issue('other')];
    expect(issuer.expireAll()).toBe(3);
    for (const t of tokens) {
      expect(issuer.check(`Bearer ${t.access_token}`)).toEqual({
        ok: false,
        reason: 'token expired',
      });
    }
    // Tokens issued afterwards are good again.
    const fresh = issuer.issue('other');
    expect(issuer.check(`Bearer ${fresh.access_token}`)).toEqual({ ok: true, clientId: 'other' });
  });

  it.each([
    [undefined, 'missing bearer token'],
    ['', 'missing bearer token'],
    ['Bearer', 'missing bearer token'],
    ['Bearer ', 'missing bearer token'],
    ['Bearer two tokens', 'missing bearer token'],
    ['Basic ZXJwOnNlY3JldA==', 'missing bearer token'],
    ['Bearer not-a-token-we-issued', 'unknown token'],
  ])('refuses authorization %j: %s', (header, reason) => {
    const { issuer } = issuerAt();
    issuer.issue('erp-subgraph');
    expect(issuer.check(header)).toEqual({ ok: false, reason });
  });

  it('forgets expired tokens once many have been issued', () => {
    const { issuer, clock } = issuerAt(0, 60);
    const first = issuer.issue('other');
    for (let i = 0; i < 999; i++) issuer.issue('other');
    clock.now += 60_000;
    issuer.issue('other'); // the 1,001st issue sweeps the expired ones
    expect(issuer.check(`Bearer ${first.access_token}`)).toEqual({
      ok: false,
      reason: 'unknown token',
    });
  });
});

describe('parseClients', () => {
  it('parses id:secret pairs, trimming and skipping empty entries', () => {
    expect(parseClients(' a:one , b:two:with:colons ,, ')).toEqual(
      new Map([
        ['a', 'one'],
        ['b', 'two:with:colons'],
      ]),
    );
    expect(parseClients('')).toEqual(new Map());
  });

  it.each(['no-colon', ':secret-without-id', 'id-without-secret:', 'a:b,broken'])(
    'refuses %j',
    (text) => {
      expect(() => parseClients(text)).toThrow(/^client ".+" must be written as id:secret$/);
    },
  );

  it('names the malformed pair', () => {
    expect(() => parseClients('a:b,broken')).toThrow(
      'client "broken" must be written as id:secret',
    );
  });
});
