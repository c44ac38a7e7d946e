import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import process from 'node:process';

import { repoRoot } from './stackPlan.js';
import type { ServiceSpec } from './stackPlan.js';

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Starts one service as its own Node process, straight from its TypeScript
 * source (no build step), each output line handed to `onLine`. Node runs the
 * entry itself, never through npx, so a SIGTERM reaches the service.
 */
export function launch(
  spec: ServiceSpec,
  sharedEnv: Record<string, string | undefined>,
  onLine: (line: string, spec: ServiceSpec) => void,
): RunningService {
  const child = spawn(
    process.execPath,
    [...(spec.nodeArgs ?? []), '--conditions=source', '--import', 'tsx', spec.entry],
    {
      cwd: repoRoot,
      env: { ...sharedEnv, ...spec.env, PORT: String(spec.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => onLine(line, spec));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { spec, child, exited };
}

/** Polls `${url}/ready` until it answers 200, the process dies, or time runs out. */
export async function waitUntilReady(service: RunningService, timeoutMs: number): Promise<void> {
  const base = `http://127.0.0.1:${service.spec.port}`;
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void service.exited.then(() => (dead = true));
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${service.spec.name} exited before it was ready`);
    try {
      const response = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${service.spec.name} not ready after ${timeoutMs} ms (${last})`);
}

/** SIGTERM to every service, then SIGKILL to any still running after `graceMs`. */
export async function stopAll(services: RunningService[], graceMs: number): Promise<void> {
  for (const s of services) if (s.child.exitCode === null) s.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const s of services)
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  }, graceMs);
  await Promise.all(services.map((s) => s.exited));
  clearTimeout(timer);
}
