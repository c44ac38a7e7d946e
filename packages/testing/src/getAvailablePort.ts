import { createServer } from 'node:net';

// Linux hands out ports 32768-60999 to listeners on port 0 (and to outgoing
// connections), so a port picked from that range can be taken by another
// test's server between being picked and being bound by the process it was
// picked for. Picking below it, where port 0 never lands, leaves only the
// (rare) case of two pickers choosing the same port at random.
const lowest = 20_000;
const highest = 32_767;

/** Whether `port` can be bound on 127.0.0.1 right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port that is free now, for processes we spawn and cannot hand a socket
 * to; in-process servers listen on port 0 instead. Chosen at random below
 * the ephemeral range (see above), so no port-0 listener can take it first.
 */
export async function getAvailablePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${lowest} and ${highest} after 100 tries`);
}
