import { addLogFields } from '@bff/core';
import type { KeyValueStore } from '@bff/shared-state';
import type { RequestHandler } from 'express';
import session from 'express-session';

import type { WebConfig } from '../config.js';
import { SharedSessionStore } from './SharedSessionStore.js';

/** Who a session belongs to, kept server-side: the browser holds only the signed session id. */
export interface SignedInUser {
  /** `Bearer <token>`: what the gateway is sent on the user's behalf. */
  authorization: string;
  /** The token's `sub`. */
  subject: string;
  /** The token's scopes, so the web app can show what the user may do. */
  scopes: string[];
  /** When the token (and so the session) expires, epoch milliseconds. */
  expiresAt: number;
}

declare module 'express-session' {
  interface SessionData {
    user?: SignedInUser;
  }
}

/** The cookie's name: `__Host-` makes the browser insist on Secure, path `/` and no Domain. */
export function sessionCookieName(config: WebConfig): string {
  return config.SESSION_COOKIE_SECURE ? '__Host-bff-web.sid' : 'bff-web.sid';
}

/**
 * express-session with a signed, HttpOnly, SameSite=Lax cookie (Secure
 * outside development) whose sessions live in the shared store. Nothing is
 * stored, and no cookie set, until a user signs in.
 */
export function sessionMiddleware(config: WebConfig, sessions: KeyValueStore): RequestHandler {
  return session({
    name: sessionCookieName(config),
    secret: [...config.SESSION_SECRETS],
    store: new SharedSessionStore(sessions, config.SESSION_MAX_AGE_SECONDS),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      secure: config.SESSION_COOKIE_SECURE,
      sameSite: 'lax',
      path: '/',
    },
  });
}

/**
 * The signed-in user's token becomes the identity passed to the gateway. A
 * session past its token's expiry is over: it is destroyed and the request
 * goes on as anonymous.
 */
export function endUserFromSession(now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const user = req.session?.user;
    if (!user) {
      next();
      return;
    }
    if (user.expiresAt <= now()) {
      req.session.destroy((error: unknown) => next(error));
      return;
    }
    req.endUserAuthorization = user.authorization;
    // The subject the gateway verified at sign-in, for the access line.
    addLogFields(res, { consumer: user.subject });
    next();
  };
}
