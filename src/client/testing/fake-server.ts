import { vi } from 'vitest';
import type { EndpointDef, EndpointResponse } from '../../shared/endpoint.ts';
import type { ErrorCode } from '../../shared/errors.ts';

interface Reply {
  status: number;
  body: unknown;
}

/**
 * Answers the API client's requests in component tests, in place of the
 * server: the real call() runs, so responses are parsed with the contract and
 * errors become ApiErrors as in the browser. An unexpected request fails with
 * not_found, which the test sees on the page.
 */
export function fakeServer() {
  const routes = new Map<string, (body: unknown) => Reply>();
  const key = (method: string, path: string) => `${method} ${path}`;
  // A path with parameters (`/api/admin/users/:username`) answers for any value of them.
  const pattern = (k: string) => new RegExp(`^${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
  const find = (k: string) => routes.get(k) ?? [...routes].find(([route]) => pattern(route).test(k))?.[1];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), 'http://localhost').pathname;
      const route = find(key(init?.method ?? 'GET', path));
      const sent: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      const reply = route ? route(sent) : { status: 404, body: { error: { code: 'not_found' } } };
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return {
    /** `endpoint` answers with what `respond` returns for the request body. */
    answer<E extends EndpointDef>(endpoint: E, respond: (body: unknown) => EndpointResponse<E>): void {
      routes.set(key(endpoint.method, endpoint.path), (body) => ({ status: 200, body: respond(body) }));
    },
    /** `endpoint` fails with an error code, as the server's error body. */
    refuse(endpoint: EndpointDef, code: ErrorCode, status = 400): void {
      routes.set(key(endpoint.method, endpoint.path), () => ({ status, body: { error: { code } } }));
    },
  };
}
