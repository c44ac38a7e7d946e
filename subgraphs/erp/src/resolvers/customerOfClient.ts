import { codedError, ErrorCode } from '@bff/core';

import type { ErpContext } from '../context.js';
import type { CustomerRef } from '../model.js';

/**
 * ERP records name their customer by client number; the graph names every
 * customer by the CRM id the ERP client carries as a cross-reference.
 */
export async function customerOfClient(
  clientNumber: string,
  ctx: ErpContext,
): Promise<CustomerRef> {
  const client = await ctx.loaders.clientsByNumber.load(clientNumber);
  if (!client) {
    ctx.logger.error({ clientNumber }, 'ERP record names a client the ERP does not know');
    throw codedError(
      ErrorCode.INTERNAL_SERVER_ERROR,
      'The customer of this record could not be resolved.',
    );
  }
  ctx.loaders.primeClient(client);
  return { id: client.crm_contact_id };
}
