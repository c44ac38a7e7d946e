import { StartupError } from './config/parseConfig.js';
import { flushLogs } from './logger.js';
import type { Logger } from './logger.js';

/** What `runMain` needs of Node's `process`; passed in so only main.ts touches the global. */
export interface ProcessLike {
  readonly env: Record<string, string | undefined>;
  readonly stderr: { write(text: string): unknown };
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(
    event: 'unhandledRejection' | 'uncaughtException',
    listener: (error: unknown) => void,
  ): unknown;
  exit(code: number): never;
}

export interface RunningService {
  readonly logger: Logger;
  /** Graceful stop: finish in-flight work, release resources. */
  close(): Promise<void>;
}

/**
 * The life of a service process: start it from the environment, report a bad
 * configuration readably and exit 1, and on SIGTERM or SIGINT stop gracefully
 * and exit 0 (a second signal exits at once).
 */
export async function runMain(
  proc: ProcessLike,
  start: (env: Record<string, string | undefined>) => Promise<RunningService>,
): Promise<void> {
  let service: RunningService;
  try {
    service = await start(proc.env);
  } catch (error) {
    proc.stderr.write(
      error instanceof StartupError
        ? `${error.message}\n`
        : `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    proc.exit(1);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      service.logger.warn({ signal }, 'second signal: exiting now');
      void flushLogs(service.logger, 200).then(() => proc.exit(1));
      return;
    }
    stopping = true;
    service.logger.info({ signal }, 'stopping');
    service.close().then(
      async () => {
        service.logger.info('stopped');
        await flushLogs(service.logger);
        proc.exit(0);
      },
      async (error: unknown) => {
        service.logger.error({ err: error }, 'error while stopping');
        await flushLogs(service.logger);
        proc.exit(1);
      },
    );
  };
  proc.on('SIGTERM', () => stop('SIGTERM'));
  proc.on('SIGINT', () => stop('SIGINT'));
  proc.on('unhandledRejection', (error) => {
    service.logger.fatal({ err: error }, 'unhandled rejection');
    void flushLogs(service.logger).then(() => proc.exit(1));
  });
}
