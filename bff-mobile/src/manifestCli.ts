import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { manifestOf, readTrustedDocuments } from './trustedDocuments.js';

// Writes persisted-operations/bff-mobile.json from operations/*.graphql; commit
// the result (a test fails while it is stale). The gateway reads it at start.
const target = fileURLToPath(
  new URL('../../persisted-operations/bff-mobile.json', import.meta.url),
);
const documents = readTrustedDocuments();
writeFileSync(target, manifestOf(documents));
// A command-line tool run by hand, not a service: its one line of output goes to stdout.
process.stdout.write(`wrote ${documents.length} operation(s) to ${target}\n`);
