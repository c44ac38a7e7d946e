import { ApiError, apiErrorOf, callerOf, sendError } from '@bff/bff-kit';
import type { GatewayClient, TrustedDocument } from '@bff/bff-kit';
import { ErrorCode } from '@bff/core';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { decodeJwt } from 'jose';

import type { WebConfig } from '../config.js';
import { sessionCookieName } from './sessionMiddleware.js';
import type { SignedInUser } from './sessionMiddleware.js';

/**
 * `POST /session` signs in with the OIDC token the web app got from the
 * identity provider (`Authorization: Bearer <token>`); `GET /session` says
 * who is signed in; `DELETE /session` signs out.
 *
 * The gateway is the one place that verifies tokens (issuer, audience,
 * signature, expiry), so sign-in asks it: the registered `SignIn` operation
 * runs with the token, and only a token the gateway accepts opens a session.
 * Its claims are then read without a second verification, to learn when the
 * session must end and what to show the user.
 */
export function sessionRoutes(
  config: WebConfig,
  gateway: GatewayClient,
  signIn: TrustedDocument,
  now: () => number = Date.now,
): Router {
  const router = express.Router();

  router.post('/session', async (req: Request, res: Response) => {
    const authorization = req.headers.authorization;
    const token = /^Bearer ([\w.~+/-]+=*)$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      sendError(
        req,
        res,
        new ApiError(
          ErrorCode.UNAUTHENTICATED,
          401,
          'Sign in with the OIDC token from your identity provider: Authorization: Bearer <token>.',
        ),
      );
      return;
    }
    if (config.SESSION_COOKIE_SECURE && !req.secure) {
      // express-session would silently not set a Secure cookie over plain HTTP.
      sendError(
        req,
        res,
        new ApiError(
          ErrorCode.BAD_REQUEST,
          400,
          'Sign in over HTTPS: the session cookie is Secure. Behind a TLS-terminating proxy, set TRUST_PROXY=true.',
        ),
      );
      return;
    }
    const result = await gateway.execute(signIn, {}, { ...callerOf(req), authorization });
    const refused = apiErrorOf(result);
    if (refused || result.kind !== 'answer') {
      const error =
        refused ?? new ApiError(ErrorCode.UPSTREAM_UNAVAILABLE, 502, 'The gateway is unavailable.');
      if (error.status >= 500) req.log.error({ gateway: result }, 'sign-in: gateway failed');
      sendError(req, res, error);
      return;
    }
    const user = userOf(token, now());
    if (!user) {
      sendError(
        req,
        res,
        new ApiError(
          ErrorCode.UNAUTHENTICATED,
          401,
          'The token must be a JWT with a subject and an expiry in the future.',
        ),
      );
      return;
    }
    const lifetimeMs = Math.min(user.expiresAt - now(), config.SESSION_MAX_AGE_SECONDS * 1000);
    // A new session id at sign-in, so an id planted before it (session fixation) is worthless.
    req.session.regenerate((regenerateError: unknown) => {
      if (regenerateError) {
        sendStoreError(req, res, regenerateError);
        return;
      }
      req.session.user = { ...user, expiresAt: now() + lifetimeMs };
      req.session.cookie.maxAge = lifetimeMs;
      req.session.save((saveError: unknown) => {
        if (saveError) {
          sendStoreError(req, res, saveError);
          return;
        }
        res.setHeader('cache-control', 'no-store');
        res.status(201).json({ session: describe(req.session.user as SignedInUser) });
      });
    });
  });

  router.get('/session', (req: Request, res: Response) => {
    const user = req.session?.user;
    res.setHeader('cache-control', 'no-store');
    if (!user || !req.endUserAuthorization) {
      sendError(req, res, new ApiError(ErrorCode.UNAUTHENTICATED, 401, 'Not signed in.'));
      return;
    }
    res.json({ session: describe(user) });
  });

  router.delete('/session', (req: Request, res: Response) => {
    const done = () => {
      res.clearCookie(sessionCookieName(config), {
        httpOnly: true,
        secure: config.SESSION_COOKIE_SECURE,
        sameSite: 'lax',
        path: '/',
      });
      res.status(204).end();
    };
    if (!req.session?.user) {
      done();
      return;
    }
    req.session.destroy((error: unknown) => {
      if (error) sendStoreError(req, res, error);
      else done();
    });
  });

  return router;
}

/** What the web app is told about the session: never the token. */
function describe(user: SignedInUser) {
  return {
    subject: user.subject,
    scopes: user.scopes,
    expiresAt: new Date(user.expiresAt).toISOString(),
  };
}

/** The user a token the gateway accepted names; undefined for one without `sub` or `exp`. */
function userOf(token: string, nowMs: number): SignedInUser | undefined {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(token);
  } catch {
    return undefined;
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
  const scopes = new Set<string>();
  for (const claim of [claims.scope, claims.scp]) {
    if (typeof claim === 'string') for (const s of claim.split(' ')) if (s) scopes.add(s);
    if (Array.isArray(claim)) for (const s of claim) if (typeof s === 'string') scopes.add(s);
  }
  return {
    authorization: `Bearer ${token}`,
    subject: claims.sub,
    scopes: [...scopes].sort(),
    expiresAt: claims.exp * 1000,
  };
}

function sendStoreError(req: Request, res: Response, error: unknown): void {
  req.log.warn({ err: error }, 'session store failed');
  sendError(
    req,
    res,
    new ApiError(
      ErrorCode.SHARED_STORE_UNAVAILABLE,
      503,
      'Sessions are unavailable right now: try again shortly.',
      {},
      { 'retry-after': '1' },
    ),
  );
}
