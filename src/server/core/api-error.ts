import type { ApiErrorBody, ErrorCode } from '../../shared/errors.ts';

type ErrorData = Omit<ApiErrorBody['error'], 'code'>;

/** An error the client is meant to see: a status, a stable code and data, never a sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly data: ErrorData = {},
    /** Extra response headers, e.g. the Basic-auth challenge on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, ...this.data } };
  }
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated');
export const notFound = () => new ApiError(404, 'not_found');
export const forbidden = () => new ApiError(403, 'forbidden');
export const tooManyAttempts = (retryAfterSeconds: number) =>
  new ApiError(429, 'too_many_attempts', { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
