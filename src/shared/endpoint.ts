import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One API endpoint: the single source of truth that the server validates
 * with and the client parses with. The types on both sides are inferred from
 * these schemas, so a change of the API breaks the build, not the user.
 */
export interface EndpointDef {
  readonly method: HttpMethod;
  /** Path with `:name` parameters, e.g. `/api/methods/:methodId`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** State-changing requests need the CSRF header unless they are exempt (no cookies involved). */
  readonly csrfExempt?: boolean;
}

export function endpoint<const Def extends EndpointDef>(def: Def): Def {
  return def;
}

type InputOf<S> = S extends z.ZodType ? z.input<S> : undefined;
type OutputOf<S> = S extends z.ZodType ? z.output<S> : undefined;

type Present<K extends string, V> = [V] extends [undefined] ? { [P in K]?: undefined } : { [P in K]: V };

/** What a caller passes: only the parts the endpoint declares. */
export type EndpointInput<E extends EndpointDef> = Present<'params', InputOf<E['params']>> &
  Present<'query', InputOf<E['query']>> &
  Present<'body', InputOf<E['body']>>;

/** What the server handler receives after validation. */
export type EndpointParsed<E extends EndpointDef> = {
  params: OutputOf<E['params']>;
  query: OutputOf<E['query']>;
  body: OutputOf<E['body']>;
};

export type EndpointResponse<E extends EndpointDef> = z.output<E['response']>;
export type EndpointResponseInput<E extends EndpointDef> = z.input<E['response']>;

/** Fills `:name` segments; values are URI-encoded. */
export function buildPath(path: string, params: Record<string, string | number> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
