import { request } from 'undici';

/** One bff-web answer, body as sent (compressed or not). */
export interface WebAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  json<T = Record<string, unknown>>(): T;
}

/**
 * What a browser does with bff-web's cookie, for tests: keeps the session
 * cookie it is given and sends it back on every request.
 */
export class WebBrowser {
  cookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** `POST /session` with `Authorization: Bearer <token>`; keeps the cookie on success. */
  async signIn(token: string, headers: Record<string, string> = {}): Promise<WebAnswer> {
    const answer = await this.send('POST', '/session', {
      authorization: `Bearer ${token}`,
      ...headers,
    });
    const setCookie = [answer.headers['set-cookie'] ?? []].flat();
    if (answer.status === 201 && setCookie[0]) this.cookie = setCookie[0].split(';')[0];
    return answer;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<WebAnswer> {
    return this.send('GET', path, headers);
  }

  /** `POST /graphql` with a JSON body. */
  graphql(
    body: { query: string; variables?: Record<string, unknown> },
    headers: Record<string, string> = {},
  ): Promise<WebAnswer> {
    return this.send('POST', '/graphql', { 'content-type': 'application/json', ...headers }, body);
  }

  async send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<WebAnswer> {
    const response = await request(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const raw = Buffer.from(await response.body.arrayBuffer());
    return {
      status: response.statusCode,
      headers: response.headers,
      raw,
      json: <T>() => JSON.parse(raw.toString('utf8')) as T,
    };
  }
}
