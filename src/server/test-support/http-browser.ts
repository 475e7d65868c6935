import type { EndpointDef, EndpointInput } from '../../shared/endpoint.ts';
import { buildPath } from '../../shared/endpoint.ts';

export interface HttpResponse {
  status: number;
  body: unknown;
}

/**
 * TestBrowser over real HTTP: for tests and benchmarks that talk to server
 * processes (through nginx) instead of an app in-process. Keeps the session
 * cookie and the CSRF token as a browser would.
 */
export class HttpBrowser {
  private cookie: string | undefined;
  private csrfToken: string | undefined;

  constructor(private readonly origin: string) {}

  async call<E extends EndpointDef>(def: E, input?: EndpointInput<E>): Promise<HttpResponse> {
    const { params, query, body } = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.origin}${buildPath(def.path, params)}${search}`, {
      method: def.method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      if (pair?.startsWith('sid=')) this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (nginx's own error pages); keep the text.
    }
    const token = (parsed as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof token === 'string') this.csrfToken = token;
    return { status: res.status, body: parsed };
  }
}
