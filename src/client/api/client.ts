import type { EndpointDef, EndpointInput, EndpointResponse } from '../../shared/endpoint.ts';
import { buildPath } from '../../shared/endpoint.ts';
import { apiErrorSchema, type ApiErrorBody, type ErrorCode } from '../../shared/errors.ts';

/** An error from the API (or from reaching it), with the stable code the UI translates. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'network_error';
  readonly data: Omit<ApiErrorBody['error'], 'code'>;
  constructor(
    readonly status: number,
    body: ApiErrorBody['error'] | { code: 'network_error' },
  ) {
    super(body.code);
    this.name = 'ApiError';
    const { code, ...data } = body;
    this.code = code;
    this.data = data;
  }
}

let csrfToken: string | undefined;
let language = 'en';

/** The session endpoints hand out the CSRF token; the client keeps the latest one. */
export function rememberCsrfToken(token: string): void {
  csrfToken = token;
}

/** The server writes notifications in the language the user is reading. */
export function setRequestLanguage(lng: string): void {
  language = lng;
}

/**
 * The one way the client talks to the server: an endpoint of the shared
 * contract in, its parsed response out, or an ApiError. No fetch elsewhere.
 */
export async function call<E extends EndpointDef>(
  endpoint: E,
  input: EndpointInput<E> = {} as EndpointInput<E>,
  options: { signal?: AbortSignal } = {},
): Promise<EndpointResponse<E>> {
  const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
  const url = buildPath(endpoint.path, params) + (search.size ? `?${search}` : '');
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (endpoint.method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  // Every state-changing request carries a JSON body, even an empty one, so the server parses one way.
  const payload = endpoint.method === 'GET' ? undefined : JSON.stringify(body ?? {});
  if (payload !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(url, {
      method: endpoint.method,
      headers,
      credentials: 'same-origin',
      ...(payload !== undefined ? { body: payload } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network_error' });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    throw new ApiError(response.status, parsed.success ? parsed.data.error : { code: 'internal_error' });
  }
  const parsed = endpoint.response.parse(json) as EndpointResponse<E>;
  const token = typeof parsed === 'object' && parsed !== null && 'csrfToken' in parsed ? parsed.csrfToken : undefined;
  if (typeof token === 'string') rememberCsrfToken(token);
  return parsed;
}
