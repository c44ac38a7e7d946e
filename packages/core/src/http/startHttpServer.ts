import { createServer } from 'node:http';
import type { RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StartHttpServerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port (tests). @default 0 */
  port?: number;
  /**
   * How long `close()` lets in-flight requests finish before cutting the
   * remaining connections.
   * @default 10000
   */
  graceMs?: number;
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes. */
  close(): Promise<void>;
}

export async function startHttpServer(
  handler: RequestListener,
  options: StartHttpServerOptions = {},
): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const graceMs = options.graceMs ?? 10_000;
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  // Node goes on serving a keep-alive connection after close() for as long as
  // the client keeps using it (a gateway's pool does). Once closing, every
  // response says `Connection: close`, so each connection ends after it.
  const open = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    open.add(res);
    res.once('close', () => open.delete(res));
  });

  return {
    server,
    port,
    url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
        // close() stops accepting and ends keep-alive connections once their
        // current response is written; idle ones are closed at once.
        const cutoff = setTimeout(() => server.closeAllConnections(), graceMs);
        cutoff.unref();
        server.close(() => {
          clearTimeout(cutoff);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
