import { addLogFields } from '@bff/core';
import type { RequestHandler } from 'express';

import type { GatewayEnv } from '../gateway/gatewayEnv.js';

/**
 * Middleware that puts who is calling on each request's access line: the
 * client name and version the BFF gives the gateway for it (a relayed
 * request overrides them with the app's), and the app's user agent, which
 * says which app build and device made the call.
 */
export function accessLogFields(config: Pick<GatewayEnv, 'CLIENT_NAME' | 'CLIENT_VERSION'>) {
  const handler: RequestHandler = (req, res, next) => {
    const userAgent = req.headers['user-agent'];
    addLogFields(res, {
      clientName: config.CLIENT_NAME,
      clientVersion: config.CLIENT_VERSION,
      // Bounded: the header is the caller's to fill.
      userAgent: userAgent === undefined ? undefined : userAgent.slice(0, 200),
    });
    next();
  };
  return handler;
}
