import {
  SandboxHttpError,
  checkIds,
  enumParam,
  idList,
  intParam,
  stringParam,
} from '@bff/sandbox-kit';
import type { CrmContactRecord, Sandbox } from '@bff/sandbox-kit';

import type { CrmStore } from '../CrmStore.js';
import { limits } from './limits.js';

const tiers: readonly CrmContactRecord['tier'][] = ['STRATEGIC', 'KEY', 'STANDARD', 'PROSPECT'];

/** `{ items, notFound }`: the CRM's batch answer. */
function found<T>(ids: string[], find: (id: string) => T | undefined) {
  const items: T[] = [];
  const notFound: string[] = [];
  for (const id of ids) {
    const item = find(id);
    if (item === undefined) notFound.push(id);
    else items.push(item);
  }
  return { items, notFound };
}

export function contactRoutes(sandbox: Sandbox, store: CrmStore): void {
  sandbox.route('GET', '/contacts', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (ids) return found(ids, (id) => store.contact(id));
    const page = store.listContacts(
      enumParam(req.query, 'tier', tiers),
      stringParam(req.query, 'after'),
      intParam(req.query, 'pageSize', limits.pageSize),
    );
    return { items: page.items, hasMore: page.hasMore };
  });

  sandbox.route('POST', '/contacts/batch-get', (req) => {
    const ids = (req.body as { ids?: unknown } | undefined)?.ids;
    if (ids === undefined) throw new SandboxHttpError(400, 'REQUIRED_FIELD_MISSING', 'give "ids"');
    return found(checkIds(ids, 'ids', limits.idsPerBatch), (id) => store.contact(id));
  });

  sandbox.route('GET', '/contacts/:contactId', (req) => {
    const contact = store.contact(String(req.params.contactId));
    if (!contact)
      throw new SandboxHttpError(404, 'NOT_FOUND', `no contact ${req.params.contactId}`);
    return contact;
  });

  sandbox.route('GET', '/users', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (!ids) throw new SandboxHttpError(400, 'REQUIRED_FIELD_MISSING', 'give "ids"');
    return found(ids, (id) => store.user(id));
  });

  sandbox.route('GET', '/users/:userId', (req) => {
    const user = store.user(String(req.params.userId));
    if (!user) throw new SandboxHttpError(404, 'NOT_FOUND', `no user ${req.params.userId}`);
    return user;
  });
}
