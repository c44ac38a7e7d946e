import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { manifestOf, readTrustedDocuments } from './trustedDocuments.js';

// Writes persisted-operations/bff-mobile.json from operations/*.graphql; commit
// the result (a test fails while it is stale). The gateway reads it at start.
const target = fileURLToPath(
  new URL('../../persisted-operations/bff-mobile.json', import.meta.url),
);
const documents = readTrustedDocuments();
writeFileSync(target, manifestOf(documents));
console.log(`wrote ${documents.length} operation(s) to ${target}`);
