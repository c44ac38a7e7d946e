// Internal test helper: a real HTTP server on 127.0.0.1 and a free port, for
// tests that need something at the other end of a socket (a fake subgraph).
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeHttpServer {
  /** Origin, e.g. http://127.0.0.1:51234 */
  readonly origin: string;
  readonly port: number;
  /** Every request received so far, in arrival order, with its full body. */
  readonly requests: RecordedRequest[];
  /** Closes the server and cuts every connection, answered or not. */
  close(): Promise<void>;
}

/**
 * Starts a server whose handler sees each request with its body already read.
 * A handler that never ends the response simulates a server that hangs.
 */
export async function startFakeHttpServer(
  handler: (request: RecordedRequest, res: ServerResponse) => void,
): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
