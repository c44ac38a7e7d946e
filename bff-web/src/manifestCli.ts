import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { writeManifest } from '@bff/bff-kit';

import { operationsDir } from './operationsDir.js';

// Writes persisted-operations/bff-web.json from operations/*.graphql; commit
// the result (a test fails while it is stale). The gateway reads it at start.
const target = fileURLToPath(new URL('../../persisted-operations/bff-web.json', import.meta.url));
const count = writeManifest(operationsDir, target);
// A command-line tool run by hand, not a service: its one line of output goes to stdout.
process.stdout.write(`wrote ${count} operation(s) to ${target}\n`);
