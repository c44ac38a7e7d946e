import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createErrorFormatter } from '../src/graphql/createErrorFormatter.js';
import { createLogger, maskPii } from '../src/logger.js';
import { RestClient } from '../src/rest/RestClient.js';
import { sendJson, startLocalServer } from './helpers/localServer.js';
import type { LocalServer } from './helpers/localServer.js';

const email = 'jane.doe@example.com';
const phones = ['+1 415 555 0123', '+14155550123', '(415) 555-0123', '415.555.0123'];

describe('log redaction', () => {
  let lines: string[];
  const logger = createLogger(
    { service: 'test', level: 'debug' },
    { write: (line: string) => void lines.push(line) },
  );
  beforeEach(() => {
    lines = [];
  });

  it('never writes an authorization header, cookie or API key', () => {
    const headers = {
      authorization: 'Bearer secret-token',
      cookie: 'sid=secret-cookie',
      'x-api-key': 'secret-key',
      'x-consumer-identity': 'secret-identity',
    };
    logger.info({ req: { headers } }, 'incoming');
    logger.info({ headers }, 'outgoing');
    logger.info({ res: { headers: { 'set-cookie': 'sid=secret-set-cookie' } } }, 'answered');
    logger.info({ client_secret: 'secret-client', token: { access_token: 'secret-access' } }, 'x');
    const written = lines.join('');
    for (const secret of ['secret-token', 'secret-cookie', 'secret-key', 'secret-identity']) {
      expect(written).not.toContain(secret);
    }
    for (const secret of ['secret-set-cookie', 'secret-client', 'secret-access']) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain('[redacted]');
  });

  it('never writes the PII fields a line carries by name', () => {
    logger.info({ email, variables: { phone: phones[0], id: 'C000464' } }, 'by name');
    logger.info({ customer: { email, phoneNumber: phones[1], name: 'Jane Doe' } }, 'nested');
    const written = lines.join('');
    expect(written).not.toContain(email);
    for (const phone of phones.slice(0, 2)) expect(written).not.toContain(phone);
    // Names are not the scoped PII (crm:pii): they stay, and so does the id.
    expect(written).toContain('Jane Doe');
    expect(written).toContain('C000464');
  });

  describe('upstream bodies', () => {
    let server: LocalServer;
    beforeAll(async () => {
      server = await startLocalServer((_req, res) =>
        sendJson(res, 409, {
          error: `A contact with ${email} exists; call ${phones[2]} or ${phones[3]}`,
          contact: { email, phoneNumber: phones[1], id: 'C000464' },
        }),
      );
    });
    afterAll(async () => {
      await server.close();
    });

    it('never writes an e-mail or phone number from a failed call, nor from its error', async () => {
      const client = new RestClient({ upstream: 'crm', baseUrl: server.url, logger });
      const error: unknown = await client
        .request({ method: 'POST', path: '/contacts', body: { email } }, { logger })
        .catch((e: unknown) => e);
      await client.close();
      // The error as it reaches the logs: whole, with its detail.body.
      logger.error({ err: error }, 'call failed');
      createErrorFormatter({ logger })({ message: 'x' }, new Error(`no contact ${email}`));
      const written = lines.join('');
      expect(written).toContain('upstream call rejected');
      expect(written).toContain('C000464'); // the rest of the body stays readable
      expect(written).toContain('[email]');
      expect(written).not.toContain(email);
      for (const phone of phones) expect(written).not.toContain(phone);
    });
  });

  it('masks e-mail addresses and phone numbers in text, not dates, amounts or ids', () => {
    expect(maskPii(`mail ${email}, call ${phones.join(' or ')}`)).toBe(
      'mail [email], call [phone] or [phone] or [phone] or [phone]',
    );
    expect(maskPii('{"phoneNumber":"0171 555","toAddress":"x@y"}')).toBe(
      '{"phoneNumber":"[redacted]","toAddress":"[redacted]"}',
    );
    const kept =
      'order O000123 on 2024-01-15T10:00:00Z, total 1234567.89, at 1700000000000, v1.2.3, 10.0.0.1:4000';
    expect(maskPii(kept)).toBe(kept);
  });
});
