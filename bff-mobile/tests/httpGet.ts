import { request } from 'undici';

/** One BFF answer, body as sent (compressed or not). */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(url, { headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    raw: Buffer.from(await response.body.arrayBuffer()),
  };
}

export const json = (answer: Answer) =>
  JSON.parse(answer.raw.toString('utf8')) as Record<string, unknown>;

export const keysOf = (value: unknown) => Object.keys(value as object).sort();
