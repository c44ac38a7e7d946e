import type { IncomingHttpHeaders } from 'node:http';

import { anonymousConsumer } from '@bff/core';
import type { Consumer } from '@bff/core';

import type { ApiKeyStore } from './ApiKeyStore.js';
import { AuthenticationError } from './AuthenticationError.js';
import type { JwtVerifier } from './JwtVerifier.js';

/**
 * Who is calling: a bearer JWT (users and internal services), a partner API
 * key, or nothing (anonymous). Credentials that are present but wrong are
 * refused, never treated as anonymous.
 */
export class ConsumerResolver {
  constructor(
    private readonly jwt: JwtVerifier,
    private readonly apiKeys: ApiKeyStore | undefined,
  ) {}

  async resolve(headers: IncomingHttpHeaders): Promise<Consumer> {
    const authorization = headers.authorization;
    const apiKey = headers['x-api-key'];
    if (authorization !== undefined && apiKey !== undefined) {
      throw new AuthenticationError('Send one credential: a bearer token or an API key, not both.');
    }
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match)
        throw new AuthenticationError('The Authorization header must be "Bearer <token>".');
      return this.jwt.verify(match[1] as string);
    }
    if (apiKey !== undefined) {
      if (Array.isArray(apiKey) || apiKey === '')
        throw new AuthenticationError('Send exactly one X-API-Key.');
      if (!this.apiKeys) throw new AuthenticationError('This gateway does not accept API keys.');
      return this.apiKeys.lookup(apiKey);
    }
    return anonymousConsumer;
  }
}
