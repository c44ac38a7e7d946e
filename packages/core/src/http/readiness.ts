import type { RequestHandler } from 'express';

import { addLogFields } from './requestLogging.js';

/** Resolves when the dependency answers; throws (with a reason) when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** A check that has not answered by then counts as failed. */
const checkTimeoutMs = 2_000;

/**
 * `/ready`: runs every check in parallel and answers 200 when all pass, 503
 * with each failing dependency's reason otherwise, so an operator sees which
 * one is down without reading logs.
 */
export function readinessHandler(checks: Record<string, ReadinessCheck>): RequestHandler {
  return async (_req, res) => {
    const entries = Object.entries(checks);
    const results = await Promise.all(
      entries.map(async ([name, check]) => [name, await runCheck(check)] as const),
    );
    const report = Object.fromEntries(results);
    const ready = results.every(([, outcome]) => outcome === 'ok');
    // On the access-log line of this request rather than a line of its own.
    if (!ready) addLogFields(res, { checks: report });
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: report });
  };
}

async function runCheck(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${checkTimeoutMs} ms`)),
          checkTimeoutMs,
        );
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
