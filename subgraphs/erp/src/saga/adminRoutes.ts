import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import type { DeadLetterStore } from '@bff/shared-state';

import type { CrmActivityOutbox } from './CrmActivityOutbox.js';
import { crmActivityKind } from './CrmActivityOutbox.js';

/**
 * The operator's view of dead letters, in front of the subgraph's handler:
 * `GET /admin/dead-letters` lists them, `POST /admin/dead-letters/:id/replay`
 * delivers one and removes it. A bearer token (ADMIN_TOKEN) is required;
 * without one configured, every call is refused.
 */
export function withAdminRoutes(
  next: RequestListener,
  deps: { adminToken: string | undefined; deadLetters: DeadLetterStore; crm: CrmActivityOutbox },
): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith('/admin/')) {
      next(req, res);
      return;
    }
    void handle(req, res, path, deps).catch(() =>
      send(res, 500, { error: 'INTERNAL_SERVER_ERROR' }),
    );
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: { adminToken: string | undefined; deadLetters: DeadLetterStore; crm: CrmActivityOutbox },
): Promise<void> {
  if (!authorized(req.headers.authorization, deps.adminToken)) {
    res.setHeader('www-authenticate', 'Bearer');
    send(res, 401, { error: 'UNAUTHENTICATED', message: 'An admin bearer token is required.' });
    return;
  }
  if (req.method === 'GET' && path === '/admin/dead-letters') {
    send(res, 200, { deadLetters: await deps.deadLetters.list() });
    return;
  }
  const replay = /^\/admin\/dead-letters\/([^/]+)\/replay$/.exec(path);
  if (req.method === 'POST' && replay) {
    const letter = await deps.deadLetters.get(decodeURIComponent(replay[1]!));
    if (!letter) {
      send(res, 404, { error: 'NOT_FOUND', message: 'No such dead letter.' });
      return;
    }
    if (letter.kind !== crmActivityKind) {
      send(res, 409, { error: 'CONFLICT', message: `Cannot replay ${letter.kind} here.` });
      return;
    }
    try {
      await deps.crm.replay(letter);
    } catch {
      send(res, 502, {
        error: 'UPSTREAM_UNAVAILABLE',
        message: 'The CRM did not take it; it stays.',
      });
      return;
    }
    send(res, 200, { replayed: letter.id });
    return;
  }
  send(res, 404, { error: 'NOT_FOUND', message: `No route for ${req.method} ${path}` });
}

function authorized(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  // Compare digests: equal lengths, and no timing hint about the token.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
