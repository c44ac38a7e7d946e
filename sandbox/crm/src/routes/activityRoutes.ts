import {
  IdempotencyStore,
  SandboxHttpError,
  idList,
  intParam,
  stringParam,
} from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import type { CrmStore, NewActivity } from '../CrmStore.js';
import { limits } from './limits.js';

export function activityRoutes(sandbox: Sandbox, store: CrmStore): void {
  const idempotency = new IdempotencyStore();

  sandbox.route('GET', '/contacts/:contactId/activities', (req) => {
    const contactId = String(req.params.contactId);
    if (!store.contact(contactId))
      throw new SandboxHttpError(404, 'NOT_FOUND', `no contact ${contactId}`);
    const page = store.activitiesOf(
      contactId,
      stringParam(req.query, 'after'),
      intParam(req.query, 'pageSize', limits.pageSize),
    );
    return { items: page.items, hasMore: page.hasMore };
  });

  // The first page of activities for many contacts in one call.
  sandbox.route('GET', '/activities/by-contact', (req) => {
    const contactIds = idList(req.query, 'contactIds', limits.contactsPerCall);
    if (!contactIds) throw new SandboxHttpError(400, 'REQUIRED_FIELD_MISSING', 'give "contactIds"');
    const after = stringParam(req.query, 'after');
    if (after !== undefined && contactIds.length > 1) {
      throw new SandboxHttpError(400, 'INVALID_FIELD', '"after" needs exactly one contact id');
    }
    const pageSize = intParam(req.query, 'pageSize', limits.pageSize);
    return {
      results: contactIds.map((contactId) => {
        const page = store.activitiesOf(contactId, after, pageSize);
        return { contactId, items: page.items, hasMore: page.hasMore };
      }),
    };
  });

  sandbox.route('POST', '/activities', async (req, res) => {
    const key = req.headers['idempotency-key'];
    const outcome = await idempotency.run(
      typeof key === 'string' ? key : undefined,
      'POST /activities',
      req.body,
      async () => ({ status: 201, body: store.recordActivity(req.body as NewActivity) }),
    );
    res.status(outcome.status).json(outcome.body);
  });
}
