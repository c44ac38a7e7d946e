import { IdempotencyStore, SandboxHttpError } from '@bff/sandbox-kit';
import type { Sandbox } from '@bff/sandbox-kit';

import type { InventoryStore, NewReservation } from '../InventoryStore.js';

export function reservationRoutes(sandbox: Sandbox, store: InventoryStore): void {
  const idempotency = new IdempotencyStore();

  sandbox.route('POST', '/reservations', async (req, res) => {
    const key = req.headers['idempotency-key'];
    const outcome = await idempotency.run(
      typeof key === 'string' ? key : undefined,
      'POST /reservations',
      req.body,
      async () => ({ status: 201, body: store.reserve(req.body as NewReservation) }),
    );
    if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(outcome.status).json(outcome.body);
  });

  sandbox.route('GET', '/reservations/:id', (req) => {
    const reservation = store.reservation(String(req.params.id));
    if (!reservation)
      throw new SandboxHttpError(404, 'not_found', `no reservation ${req.params.id}`);
    return reservation;
  });

  sandbox.route('DELETE', '/reservations/:id', (req) => store.release(String(req.params.id)));
}
