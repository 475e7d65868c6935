import type { FastifyInstance, InjectOptions } from 'fastify';
import type { EndpointDef, EndpointInput } from '../../shared/endpoint.ts';
import { buildPath } from '../../shared/endpoint.ts';

export interface TestResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/**
 * A browser stand-in for API tests: keeps the session cookie, sends the CSRF
 * token the server handed out, and calls endpoints of the shared contract.
 */
export class TestBrowser {
  private cookie: string | undefined;
  /** Other cookies the server set (a password reset's flow cookie), by name. */
  private readonly others = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    private readonly app: FastifyInstance,
    readonly ip = '203.0.113.10',
  ) {}

  async raw(options: InjectOptions & { url: string }): Promise<TestResponse> {
    const res = await this.app.inject({
      ...options,
      remoteAddress: this.ip,
      headers: { ...(this.cookieHeader() ? { cookie: this.cookieHeader() } : {}), ...options.headers },
    });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = c.split(';');
      if (pair?.startsWith('sid=')) this.cookie = pair.endsWith('=') ? undefined : pair;
      else if (pair?.startsWith('reset=')) {
        if (pair.endsWith('=')) this.others.delete('reset');
        else this.others.set('reset', pair);
      }
    }
    let body: unknown = res.body;
    try {
      body = res.json();
    } catch {
      // Not JSON; keep the text.
    }
    const maybeToken = (body as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof maybeToken === 'string') this.csrfToken = maybeToken;
    return { status: res.statusCode, body, headers: res.headers };
  }

  async call<E extends EndpointDef>(def: E, input?: EndpointInput<E>, headers: Record<string, string> = {}): Promise<TestResponse> {
    const { params, query, body } = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
    const search = query ? `?${new URLSearchParams(query as Record<string, string>).toString()}` : '';
    return this.raw({
      method: def.method,
      url: buildPath(def.path, params) + search,
      headers: { ...(this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  }

  private cookieHeader(): string | undefined {
    const all = [this.cookie, ...this.others.values()].filter((c): c is string => c !== undefined);
    return all.length > 0 ? all.join('; ') : undefined;
  }

  get sessionCookie(): string | undefined {
    return this.cookie;
  }
}
