import { createHash, timingSafeEqual } from 'node:crypto';

import { ErrorCode, sendHttpError } from '@bff/core';
import { SharedStoreUnavailableError } from '@bff/shared-state';
import type { DeadLetterStore } from '@bff/shared-state';
import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';

import type { BackgroundJobs } from './BackgroundJobs.js';
import { describeFailure } from './BackgroundJobs.js';

export interface DeadLetterAdminOptions {
  /** Bearer token of /admin/*; unset, every call is refused. */
  adminToken: string | undefined;
  deadLetters: DeadLetterStore;
  /** Replays a letter with the handler of its kind. */
  jobs: BackgroundJobs;
}

/**
 * The operator's view of what failed for good, under `/admin` with
 * `authorization: Bearer <ADMIN_TOKEN>`:
 * - `GET /admin/dead-letters[?kind=]`: every letter, oldest failure first;
 * - `GET /admin/dead-letters/:id`: one;
 * - `POST /admin/dead-letters/:id/replay`: one attempt now; 200 and removed
 *   when done, 503 UPSTREAM_UNAVAILABLE (the letter kept, with the new
 *   failure) when not;
 * - `DELETE /admin/dead-letters/:id`: discards one the operator has dealt with.
 */
export function deadLetterAdmin(app: Express, options: DeadLetterAdminOptions): void {
  const admin = express.Router();
  admin.use(requireAdminToken(options.adminToken));

  admin.get('/dead-letters', async (req, res) => {
    const kind = typeof req.query.kind === 'string' ? req.query.kind : undefined;
    res.json({ deadLetters: await options.deadLetters.list(kind) });
  });

  admin.get('/dead-letters/:id', async (req, res) => {
    const letter = await options.deadLetters.get(String(req.params.id));
    if (!letter) return notFound(req, res);
    res.json(letter);
  });

  admin.post('/dead-letters/:id/replay', async (req, res) => {
    const letter = await options.deadLetters.get(String(req.params.id));
    if (!letter) return notFound(req, res);
    if (!options.jobs.handles(letter.kind)) {
      sendHttpError(
        req,
        res,
        409,
        ErrorCode.CONFLICT,
        `This service cannot replay ${letter.kind} letters.`,
      );
      return;
    }
    try {
      await options.jobs.replay(letter);
    } catch (error) {
      sendHttpError(
        req,
        res,
        503,
        ErrorCode.UPSTREAM_UNAVAILABLE,
        `Replay failed, the letter stays: ${describeFailure(error)}`,
      );
      return;
    }
    res.json({ id: letter.id, replayed: true });
  });

  admin.delete('/dead-letters/:id', async (req, res) => {
    const letter = await options.deadLetters.get(String(req.params.id));
    if (!letter) return notFound(req, res);
    await options.deadLetters.remove(letter.id);
    req.log.warn({ jobId: letter.id, kind: letter.kind }, 'dead letter discarded by an operator');
    res.status(204).end();
  });

  // The letters live in the shared store: its outage is a 503 the operator can retry.
  admin.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof SharedStoreUnavailableError)) return next(error);
    sendHttpError(req, res, 503, ErrorCode.SHARED_STORE_UNAVAILABLE, error.message);
  });

  app.use('/admin', admin);
}

function notFound(req: Request, res: Response): void {
  sendHttpError(req, res, 404, ErrorCode.NOT_FOUND, `No dead letter ${String(req.params.id)}.`);
}

/** Bearer ADMIN_TOKEN, compared as digests: equal lengths, and no timing hint about the token. */
function requireAdminToken(token: string | undefined) {
  const expected = token === undefined ? undefined : digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (expected && header?.startsWith('Bearer ')) {
      if (timingSafeEqual(digest(header.slice('Bearer '.length)), expected)) return next();
    }
    res.setHeader('www-authenticate', 'Bearer');
    sendHttpError(
      req,
      res,
      401,
      ErrorCode.UNAUTHENTICATED,
      'The admin routes need `authorization: Bearer <ADMIN_TOKEN>`.',
    );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
