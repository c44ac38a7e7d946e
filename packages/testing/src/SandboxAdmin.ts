/** The sandbox admin API over HTTP: request counters, fault injection, token expiry. */
export class SandboxAdmin {
  constructor(
    readonly baseUrl: string,
    private readonly adminKey?: string,
  ) {}

  async counters(): Promise<{ total: number; routes: Record<string, number> }> {
    return (await this.call('GET', '/__admin/counters')).json() as Promise<{
      total: number;
      routes: Record<string, number>;
    }>;
  }

  async resetCounters(): Promise<void> {
    await this.call('DELETE', '/__admin/counters');
  }

  async setFaults(faults: Record<string, unknown>): Promise<void> {
    await this.call('PUT', '/__admin/faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/__admin/faults');
  }

  /** The calls the sandbox served for one request id, oldest first. */
  async calls(
    requestId: string,
  ): Promise<{ route: string; requestId: string; traceparent?: string }[]> {
    const response = await this.call(
      'GET',
      `/__admin/calls?requestId=${encodeURIComponent(requestId)}`,
    );
    return ((await response.json()) as { calls: { route: string; requestId: string }[] }).calls;
  }

  async expireTokens(): Promise<number> {
    const body = (await (await this.call('POST', '/__admin/tokens/expire')).json()) as {
      expired: number;
    };
    return body.expired;
  }

  /**
   * Inventory only: sets an item's quantity on hand (at its first site unless
   * `siteId` is given), as a stock count would; the sandbox sends `stock.changed`.
   */
  async setStock(itemCode: string, qtyOnHand: number, siteId?: string): Promise<void> {
    await this.call('PUT', `/__admin/stock/${encodeURIComponent(itemCode)}`, {
      qty_on_hand: qtyOnHand,
      ...(siteId ? { site_id: siteId } : {}),
    });
  }

  /** ERP only: a new list price or title, as a price list update would; the sandbox sends `product.changed`. */
  async updateProduct(sku: string, change: { list_price?: string; title?: string }): Promise<void> {
    await this.call('PUT', `/__admin/products/${encodeURIComponent(sku)}`, change);
  }

  /** ERP only: moves an order along (or cancels it) as the ERP's own users do; the sandbox sends `order.status_changed`. */
  async setOrderStatus(docId: string, status: string): Promise<void> {
    await this.call('PUT', `/__admin/orders/${encodeURIComponent(docId)}/status`, { status });
  }

  /** Where the sandbox sends its events (its webhook subscriptions). */
  async setWebhookTargets(urls: string[]): Promise<void> {
    await this.call('PUT', '/__admin/webhooks', { urls });
  }

  /** A bearer token for reading the upstream directly, as a test's source of truth. */
  async token(clientId: string, clientSecret: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.adminKey ? { 'x-admin-key': this.adminKey } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  }
}

/** Reads an upstream's REST API directly with its own token: the truth tests compare against. */
export class UpstreamReader {
  private token: string | undefined;

  constructor(
    private readonly admin: SandboxAdmin,
    private readonly credentials: { clientId: string; clientSecret: string },
  ) {}

  async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.token ??= await this.admin.token(this.credentials.clientId, this.credentials.clientSecret);
    const response = await fetch(`${this.admin.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
    return response.json() as Promise<T>;
  }
}
