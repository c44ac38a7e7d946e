import process from 'node:process';

import { runSandboxMain } from '@bff/sandbox-kit';

import { loadConfig } from './config.js';
import { createServer } from './server.js';

await runSandboxMain(process, { service: 'sandbox-inventory', loadConfig, createServer });
