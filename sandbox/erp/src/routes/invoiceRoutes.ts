import { SandboxHttpError, enumParam, idList, intParam, stringParam } from '@bff/sandbox-kit';
import type { ErpInvoiceRecord, Sandbox } from '@bff/sandbox-kit';

import type { ErpStore } from '../ErpStore.js';
import { batchIds, batchResult } from './batch.js';
import { limits } from './limits.js';

const statuses: readonly ErpInvoiceRecord['status'][] = ['OPEN', 'PAID', 'OVERDUE'];

export function invoiceRoutes(sandbox: Sandbox, store: ErpStore): void {
  sandbox.route('GET', '/invoices', (req) => {
    const ids = idList(req.query, 'ids', limits.idsPerGet);
    if (ids) return batchResult(ids, (id) => store.invoice(id));
    const docIds = idList(req.query, 'doc_ids', limits.idsPerGet);
    if (docIds) return batchResult(docIds, (id) => store.invoiceOfOrder(id));
    throw new SandboxHttpError(
      400,
      'parameter_missing',
      'give "ids" or "doc_ids", or use /invoices/by-client',
    );
  });

  sandbox.route('POST', '/invoices/batch-get', (req) => {
    const ids = batchIds(req.body, 'ids');
    if (ids) return batchResult(ids, (id) => store.invoice(id));
    const docIds = batchIds(req.body, 'doc_ids');
    if (docIds) return batchResult(docIds, (id) => store.invoiceOfOrder(id));
    throw new SandboxHttpError(400, 'parameter_missing', 'give "ids" or "doc_ids"');
  });

  sandbox.route('GET', '/invoices/by-client', (req) => {
    const clientNumbers = idList(req.query, 'client_numbers', limits.clientsPerCall);
    if (!clientNumbers)
      throw new SandboxHttpError(400, 'parameter_missing', 'give "client_numbers"');
    const status = enumParam(req.query, 'status', statuses);
    const after = stringParam(req.query, 'starting_after');
    if (after !== undefined && clientNumbers.length > 1) {
      throw new SandboxHttpError(
        400,
        'invalid_parameter',
        '"starting_after" needs exactly one client number',
      );
    }
    const limit = intParam(req.query, 'limit', limits.page);
    return {
      object: 'list',
      data: clientNumbers.map((clientNumber) => {
        const page = store.clientInvoices(clientNumber, status, after, limit);
        return { client_number: clientNumber, data: page.items, has_more: page.hasMore };
      }),
    };
  });

  sandbox.route('GET', '/invoices/:invoice_id', (req) => {
    const invoice = store.invoice(String(req.params.invoice_id));
    if (!invoice)
      throw new SandboxHttpError(404, 'resource_missing', `no invoice ${req.params.invoice_id}`);
    return invoice;
  });
}
