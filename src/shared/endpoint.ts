import type { z } from 'zod';

/** A schema of the contract, written with zod or zod/mini: both build on zod's core, which parses either. */
export type ContractSchema = z.core.$ZodType & {
  /**
   * Both zod and zod/mini schemas parse by method; so do the checks the client build generates in
   * their place (docs/reference.md#client-contract), which is why the client calls this and not
   * zod's `parse()` function.
   */
  parse(data: unknown): unknown;
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Where a session stands in signing in: the password step, the second step, the registration interruption, done;
 * or proving who one is to reset a forgotten password (docs/reference.md#self-service-password-reset); or the
 * interruption of a user an administrator requires to change their password (docs/reference.md#changing-the-password).
 */
export const sessionStages = ['anonymous', 'second_factor', 'registration', 'signed_in', 'password_reset', 'password_change'] as const;
export type SessionStage = (typeof sessionStages)[number];

/** Who may call an endpoint; the server's `route()` enforces it before the handler runs. */
export interface EndpointGuard {
  /** The session stages that may call it. */
  readonly stages: readonly SessionStage[];
  /**
   * A second-step verification within the policy's window is needed (a fresh
   * authentication before a sensitive change, OWASP ASVS 5.0 V7.5.3). A user with
   * no usable method yet is registering their first one and is let through.
   */
  readonly recentVerification?: boolean;
  /** Administrators only. */
  readonly admin?: boolean;
}

/**
 * One API endpoint: the single source of truth that the server validates
 * with and the client parses with. The types on both sides are inferred from
 * these schemas, so a change of the API breaks the build, not the user.
 */
/** The guards endpoints declare; named so the contract reads as who may call what. */
export const guards = {
  /** Signed in, or inside the registration interruption: where a user manages security info. */
  managing: { stages: ['signed_in', 'registration'] },
  /** A change of security info: the same stages and a recent verification. */
  changing: { stages: ['signed_in', 'registration'], recentVerification: true },
  /**
   * Where a method can prove the user: the second step, re-verification before a change (the
   * password-change interruption's included), and a password reset.
   */
  verifying: { stages: ['second_factor', 'signed_in', 'registration', 'password_change', 'password_reset'] },
  /** Proofs that are no method (a temporary access pass): never a password reset. */
  verifyingWithoutReset: { stages: ['second_factor', 'signed_in', 'registration', 'password_change'] },
  /** Changing one's password: on Security info, or in the interruption that requires it; a recent verification. */
  passwordChanging: { stages: ['signed_in', 'password_change'], recentVerification: true },
  signedIn: { stages: ['signed_in'] },
  signedInChanging: { stages: ['signed_in'], recentVerification: true },
  /**
   * Administrators only, reads included: the admin area shows every user's
   * activity and can change anyone's sign-in, so it always needs a recent
   * verification (docs/reference.md#admin-area).
   */
  admin: { stages: ['signed_in'], admin: true, recentVerification: true },
} as const satisfies Record<string, EndpointGuard>;

export interface EndpointDef {
  readonly method: HttpMethod;
  /** Path with `:name` parameters, e.g. `/api/methods/:methodId`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: ContractSchema;
  readonly query?: ContractSchema;
  readonly body?: ContractSchema;
  readonly response: ContractSchema;
  /**
   * A response that is not JSON (e.g. `text/csv`): the server streams it
   * outside `route()`, the client links to it instead of `call()`ing it, and
   * the OpenAPI document lists it under this media type.
   */
  readonly responseType?: string;
  /** Bytes the request body may have where more than the server's default is needed (a file upload). */
  readonly bodyLimit?: number;
  /** State-changing requests need the CSRF header unless they are exempt (no cookies involved). */
  readonly csrfExempt?: boolean;
  /** Absent: anyone may call it, signed in or not (the handler decides). */
  readonly guard?: EndpointGuard;
}

export function endpoint<const Def extends EndpointDef>(def: Def): Def {
  return def;
}

type InputOf<S> = S extends ContractSchema ? z.input<S> : undefined;
type OutputOf<S> = S extends ContractSchema ? z.output<S> : undefined;

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
