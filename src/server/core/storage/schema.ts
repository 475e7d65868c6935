import type { PhoneDelivery } from '../../../shared/api/common.ts';
import type { SessionStage } from '../../../shared/endpoint.ts';
import type { MethodKind } from '../../../shared/policy.ts';

/**
 * Table types for the query layer. Timestamps are epoch milliseconds (bigint
 * in PostgreSQL, integer in SQLite) and booleans are 0/1, so one set of
 * queries runs unchanged on both databases.
 */
export interface UsersTable {
  id: string;
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  password_hash: string;
  is_admin: number;
  language: string | null;
  default_method_id: string | null;
  /** How the default's code arrives where its method offers a choice (a phone); null for the method as a whole. */
  default_delivery: PhoneDelivery | null;
  /** Set when the user must register again (admin reset, default method disabled). */
  reregister_reason: string | null;
  /** When an administrator asked for it: methods added before then are deleted once the user has verified. */
  reregister_requested_at: number | null;
  /** Set when the user said "this wasn't me" about a security-info e-mail: an administrator should look at the account. */
  needs_review_at: number | null;
  /** When the password was last set (changed or reset); null only for a user created without one being recorded. */
  password_changed_at: number | null;
  /** Set while an administrator requires a new password at the next sign-in. */
  password_change_required_at: number | null;
  created_at: number;
}

/** A self-service password reset in progress (docs/reference.md#self-service-password-reset). */
export interface PasswordResetFlowsTable {
  /** SHA-256 of the flow cookie's value. */
  id_hash: string;
  /** Null when this reset cannot go on; it then answers exactly like one for an unknown user name. */
  user_id: string | null;
  /** The session that started it: its steps are accepted from that session only. */
  session_hash: string;
  methods_required: number;
  /** JSON array of { methodId, kind }. */
  proofs: string;
  created_at: number;
  expires_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a copy of the table does not yield live sessions. */
  id_hash: string;
  user_id: string | null;
  csrf_token: string;
  stage: SessionStage;
  second_factor_at: number | null;
  /** Why the registration interruption was entered, kept so it is still named after the first method is added. */
  registration_reason: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  /** When this session completed a sign-in with a password and a second step; a passkey upgrade is bound to it. */
  password_sign_in_at: number | null;
}

export interface MethodsTable {
  id: string;
  user_id: string;
  kind: MethodKind;
  label: string;
  created_at: number;
  last_used_at: number | null;
}

export interface EnrollmentsTable {
  id: string;
  user_id: string;
  kind: MethodKind;
  /** Encrypted JSON: the secret or challenge being enrolled. */
  payload_enc: string;
  replace_method_id: string | null;
  created_at: number;
  expires_at: number;
}

export interface OrgPolicyTable {
  id: number;
  policy_json: string;
  updated_at: number;
}

export interface VerificationLogTable {
  id: string;
  at: number;
  user_id: string | null;
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  device_token: string | null;
  auth_mode: string;
  event: string;
  result: string;
  denial_reason: string | null;
  server_name: string;
  server_ip: string | null;
  client_ip: string | null;
  /** The SMS or voice provider's id of the message a record is about, to trace it with the provider. */
  provider_message_id: string | null;
}

export interface OutboxTable {
  id: string;
  created_at: number;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  user_id: string | null;
}

export type MailStatus = 'pending' | 'sending' | 'sent' | 'dead';

/**
 * One outgoing e-mail, written in the transaction of the change it reports.
 * It holds only what the notice says; never a code, a pass or a secret.
 */
export interface MailQueueTable {
  id: string;
  user_id: string | null;
  recipient: string;
  /** The language the notice was written in, for the message's Content-Language. */
  language: string;
  subject: string;
  /** Plain text; the HTML part is made from it when sent. */
  body: string;
  /** Fixed when queued, so a retry carries the same Message-ID and a receiver can tell a duplicate. */
  message_id: string;
  status: MailStatus;
  /** Attempts started, counted when a worker claims the row. */
  attempts: number;
  /** When the next attempt may start. */
  due_at: number;
  claimed_by: string | null;
  /** A 'sending' row whose claim ran out (its worker died) may be claimed again. */
  claimed_until: number | null;
  /** Why the last attempt failed; no credentials, only the server's reply or a network error code. */
  last_error: string | null;
  created_at: number;
  /** When it was sent or given up on. */
  finished_at: number | null;
}

export interface ThrottleCountersTable {
  key: string;
  failures: number;
  last_failure_at: number;
  blocked_until: number;
}

export interface RateEventsTable {
  id: string;
  key: string;
  at: number;
}

/** At most one pass per user: issuing a new one replaces the row. */
export interface TemporaryAccessPassesTable {
  user_id: string;
  /** HMAC-SHA-256 of the pass under its own derived key; the pass itself is never stored. */
  pass_hash: string;
  created_at: number;
  starts_at: number;
  expires_at: number;
  /** 1: gone after its first use; 0: usable until it expires. */
  one_time: number;
}

/** One row (id 1) whose version the database bumps on every change a cache must hear of (migration 015). */
export interface ChangeCounterTable {
  id: number;
  version: number;
}

/** A user's recovery codes: one row per unused code; using a code deletes its row. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** HMAC-SHA-256 of the code, bound to the user, under its own derived key; the code itself is never stored. */
  code_hash: string;
  /** When the set was generated: every code of one set shares it. */
  created_at: number;
}

/** "This wasn't me" links that were used: a link's nonce may be inserted once, which makes the link single-use. */
export interface UsedReportLinksTable {
  nonce: string;
  user_id: string;
  used_at: number;
  /** When the link would have expired anyway: the row may go then. */
  expires_at: number;
}

/**
 * The core tables. Each method kind declares its own tables beside its code
 * (`server/methods/<kind>/schema.ts`) by augmenting this interface, so a new
 * kind needs no change here.
 */
/** The invitation to add a stronger method, per user (docs/reference.md#stronger-methods-first). */
export interface StrongerMethodNudgesTable {
  user_id: string;
  snooze_count: number;
  snoozed_until: number | null;
}

export interface Database {
  change_counter: ChangeCounterTable;
  users: UsersTable;
  sessions: SessionsTable;
  methods: MethodsTable;
  enrollments: EnrollmentsTable;
  org_policy: OrgPolicyTable;
  verification_log: VerificationLogTable;
  outbox: OutboxTable;
  mail_queue: MailQueueTable;
  throttle_counters: ThrottleCountersTable;
  rate_events: RateEventsTable;
  temporary_access_passes: TemporaryAccessPassesTable;
  recovery_codes: RecoveryCodesTable;
  used_report_links: UsedReportLinksTable;
  password_reset_flows: PasswordResetFlowsTable;
  stronger_method_nudges: StrongerMethodNudgesTable;
}
