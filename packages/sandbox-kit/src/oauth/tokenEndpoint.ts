import type { Request, Response } from 'express';

import type { TokenIssuer } from './TokenIssuer.js';

/**
 * POST /oauth/token, client-credentials grant (RFC 6749 §4.4). Client
 * credentials come in HTTP Basic (preferred) or the form body; errors use the
 * RFC's own error body, whatever the upstream's usual format.
 */
export function tokenEndpoint(tokens: TokenIssuer) {
  return (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({
        error: 'unsupported_grant_type',
        error_description: 'only grant_type=client_credentials is supported',
      });
      return;
    }
    const credentials = basicCredentials(req.headers.authorization) ?? {
      id: typeof body.client_id === 'string' ? body.client_id : '',
      secret: typeof body.client_secret === 'string' ? body.client_secret : '',
    };
    if (!tokens.authenticate(credentials.id, credentials.secret)) {
      res.setHeader('www-authenticate', 'Basic realm="token"');
      res
        .status(401)
        .json({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
      return;
    }
    res.json(tokens.issue(credentials.id));
  };
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}
