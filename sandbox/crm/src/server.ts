import type { Logger } from '@bff/core';
import { createSandboxFromConfig, loadWorld, worldOptionsOf } from '@bff/sandbox-kit';
import type { Sandbox, SandboxConfig } from '@bff/sandbox-kit';

import { CrmStore } from './CrmStore.js';
import { activityRoutes } from './routes/activityRoutes.js';
import { contactRoutes } from './routes/contactRoutes.js';

export interface CrmSandbox extends Sandbox {
  readonly store: CrmStore;
}

/** The stand-in CRM: camelCase, `{ items, hasMore }` lists, errors as `{ errors: [{ errorCode, message }] }`. */
export function createServer(config: SandboxConfig, logger: Logger): CrmSandbox {
  const store = new CrmStore(loadWorld(worldOptionsOf(config)).crm);
  const sandbox = createSandboxFromConfig(config, logger, {
    system: 'crm',
    errorBody: (_status, code, message) => ({ errors: [{ errorCode: code, message }] }),
  });
  contactRoutes(sandbox, store);
  activityRoutes(sandbox, store);
  sandbox.finish();
  return { ...sandbox, store };
}
