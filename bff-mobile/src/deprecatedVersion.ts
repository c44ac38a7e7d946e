import { ApiError, sendError } from '@bff/bff-kit';
import { ErrorCode } from '@bff/core';
import type { NextFunction, Request, Response } from 'express';

import type { DeprecatedVersion } from './versions.js';

export interface DeprecatedRouteOptions {
  /** The same screen's path in the successor version, for `Link`. */
  successorOf: (req: Request) => string;
  now: () => Date;
}

/**
 * Goes before a deprecated version's screen: every answer, errors and 304s
 * included, says `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and where the
 * successor is, so an old app release can be told to update whatever it
 * asked. From the sunset on, the screen is no longer asked: 410.
 */
export function deprecatedRoute(version: DeprecatedVersion, options: DeprecatedRouteOptions) {
  const deprecation = `@${Math.floor(version.deprecatedAt.getTime() / 1000)}`;
  const sunset = version.sunsetAt.toUTCString();
  return (req: Request, res: Response, next: NextFunction): void => {
    const successor = options.successorOf(req);
    res.setHeader('deprecation', deprecation);
    res.setHeader('sunset', sunset);
    res.setHeader('link', `<${successor}>; rel="successor-version"`);
    if (options.now().getTime() < version.sunsetAt.getTime()) {
      next();
      return;
    }
    sendError(
      req,
      res,
      new ApiError(
        ErrorCode.VERSION_RETIRED,
        410,
        `/m/${version.name} was retired on ${sunset}: update the app.`,
        { version: version.name, sunset: version.sunsetAt.toISOString(), successor },
      ),
    );
  };
}
