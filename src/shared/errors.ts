import { z } from 'zod';

/**
 * Stable error codes. The server never sends sentences; the client shows
 * `errors:<code>` from the locale files, with the data below filled in.
 */
export const errorCodes = [
  'invalid_input',
  'invalid_text',
  'unsupported_media_type',
  'unauthenticated',
  'forbidden',
  'not_found',
  'csrf_failed',
  'payload_too_large',
  'rate_limited',
  'internal_error',
  'unavailable',
  'invalid_credentials',
  'too_many_attempts',
  'invalid_code',
  'code_expired',
  'code_already_used',
  'reauth_required',
  'registration_required',
  'registration_incomplete',
  'method_last_usable',
  'method_limit_reached',
  'method_not_allowed',
  'setup_expired',
  'app_passwords_disabled',
  'app_password_limit_reached',
  'app_password_required',
  'webauthn_failed',
  'webauthn_already_registered',
  'webauthn_unknown_credential',
  'webauthn_expired',
  'phone_invalid',
  'phone_kind_taken',
  'too_many_sends',
  'delivery_failed',
  'temporary_access_pass_invalid',
  'temporary_access_passes_disabled',
  'policy_locks_out_admin',
  'token_import_invalid',
  'token_activated',
  'recovery_code_invalid',
  'recovery_codes_disabled',
  'report_link_not_valid',
  'password_too_short',
  'password_common',
  'password_weak',
  'password_same_as_current',
  'current_password_incorrect',
  'password_reset_expired',
  'password_reset_step',
  'password_reset_same_method',
  'nudge_not_shown',
  'passkey_upgrade_unavailable',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** Why a phone number was refused (phone_invalid), each translated as `phone:reason.<reason>`. */
export const phoneInvalidReasons = [
  'invalid_country',
  'not_a_number',
  'too_short',
  'too_long',
  'invalid_number',
  'voip_not_allowed',
  'invalid_extension',
] as const;
export type PhoneInvalidReason = (typeof phoneInvalidReasons)[number];

/**
 * The reasons each code may carry; a code not listed carries none. A client
 * that narrows on the code gets the reason as a union, not a string.
 */
export const errorReasons = { phone_invalid: phoneInvalidReasons } as const satisfies Partial<Record<ErrorCode, readonly string[]>>;
export type ErrorReason<C extends ErrorCode> = C extends keyof typeof errorReasons ? (typeof errorReasons)[C][number] : never;

const allReasons = Object.values(errorReasons).flat();

export const fieldIssueSchema = z.object({
  /** Dotted path of the offending field, e.g. `body.code`. */
  path: z.string(),
  /** A short machine-readable issue kind (zod's issue code). */
  issue: z.string(),
});

export const apiErrorSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    /** Seconds until the action may be tried again (rate limits, throttling). */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    /** Attempts left before throttling starts, where that helps the user. */
    attemptsLeft: z.number().int().nonnegative().optional(),
    fields: z.array(fieldIssueSchema).optional(),
    /** A more precise reason, e.g. why a phone number was refused: one of errorReasons[code]. */
    reason: z.enum(allReasons).optional(),
    /** The reference product's error number a legacy client shows (e.g. 0x800434D4L). */
    legacyCode: z.string().optional(),
    /** password_too_short: the organisation's minimum. */
    minLength: z.number().int().positive().optional(),
    /** password_weak: why, as keys of the strength estimator's feedback (translated on the client). */
    passwordFeedback: z.object({ warning: z.string().nullable(), suggestions: z.array(z.string()) }).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
