import { SandboxHttpError, idList, intParam, keysetPage, stringParam } from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import type { ErpStore } from '../ErpStore.js';
import { batchIds, batchResult } from './batch.js';
import { limits } from './limits.js';

export function clientRoutes(sandbox: Sandbox, store: ErpStore): void {
  sandbox.route('GET', '/clients', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (ids) return batchResult(ids, (id) => store.client(id));
    const crmIds = idList(req.query, 'crm_ids', limits.idsPerGet);
    if (crmIds) return batchResult(crmIds, (id) => store.clientOfCrmContact(id));
    const page = keysetPage(
      store.clients,
      (c) => c.client_number,
      stringParam(req.query, 'starting_after'),
      intParam(req.query, 'limit', limits.page),
    );
    return { object: 'list', data: page.items, has_more: page.hasMore };
  });

  sandbox.route('POST', '/clients/batch-get', (req) => {
    const ids = batchIds(req.body, 'ids');
    if (ids) return batchResult(ids, (id) => store.client(id));
    const crmIds = batchIds(req.body, 'crm_ids');
    if (crmIds) return batchResult(crmIds, (id) => store.clientOfCrmContact(id));
    throw new SandboxHttpError(400, 'parameter_missing', 'give "ids" or "crm_ids"');
  });

  sandbox.route('GET', '/clients/:client_number', (req) => {
    const client = store.client(String(req.params.client_number));
    if (!client)
      throw new SandboxHttpError(404, 'resource_missing', `no client ${req.params.client_number}`);
    return client;
  });
}
