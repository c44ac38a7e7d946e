export interface GraphQLResult<D = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: D | null;
    errors?: {
      message: string;
      path?: (string | number)[];
      extensions?: Record<string, unknown> & { code?: string };
    }[];
  };
}

/** POSTs an operation over real HTTP and returns status, headers and the parsed body. */
export async function postGraphQL<D = Record<string, unknown>>(
  url: string,
  request: {
    /** Absent for a request by id (APQ hash or documentId). */
    query?: string;
    variables?: Record<string, unknown>;
    operationName?: string;
    extensions?: Record<string, unknown>;
    documentId?: string;
  },
  headers: Record<string, string> = {},
): Promise<GraphQLResult<D>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  let body: GraphQLResult<D>['body'];
  try {
    body = JSON.parse(text) as GraphQLResult<D>['body'];
  } catch {
    throw new Error(
      `HTTP ${response.status} answered with a body that is not JSON: ${text.slice(0, 300)}`,
    );
  }
  return { status: response.status, headers: response.headers, body };
}
