import { generateWorld } from './generateWorld.js';
import type { WorldOptions } from './generateWorld.js';
import type { World } from './records.js';

const worlds = new Map<string, World>();

/**
 * The world for these options, generated once per process. When the three
 * sandboxes run in one process (tests, benchmarks) they share it; each
 * sandbox copies the records it mutates, so sharing is safe.
 */
export function loadWorld(options: WorldOptions): World {
  const key = JSON.stringify([
    options.seed,
    options.customers,
    options.products,
    options.warehouses,
    options.orders,
  ]);
  let world = worlds.get(key);
  if (!world) {
    world = generateWorld(options);
    worlds.set(key, world);
  }
  return world;
}
