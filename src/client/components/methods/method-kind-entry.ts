import type { ComponentType } from 'react';
import type { MethodSummary, SignInOption } from '../../../shared/api/common.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import type { SessionInfo, SessionState } from '../../../shared/api/session.ts';

export type SignedInState = Extract<SessionState, { stage: 'signed_in' }>;
import type { MethodKind } from '../../../shared/policy.ts';

/** What a kind's setup flow gets, wherever it runs: the registration interruption or the "add a method" page. */
export interface SetupProps {
  /** The user's security info as the host page last loaded it (e.g. which phone kinds are taken). */
  info: SecurityInfo;
  onDone(method: MethodSummary): void;
  onCancel(): void;
}

/** What a kind's verify form gets: sign-in's second step, or re-verification before a change. */
export interface VerifyProps {
  option: SignInOption;
  onVerified(next: SessionInfo): void;
}

/** Texts of a kind that the pages hosting its flows show around them. */
export interface MethodKindTexts {
  /** The "add" page's heading. */
  addTitle: string;
  /** The status message once a method of this kind was added. */
  added(method: MethodSummary): string;
}

/** A page of its own that a kind brings (e.g. changing a phone's number), mounted for signed-in users. */
export interface MethodKindRoute {
  /** Relative to the app's root, e.g. `security-info/phone/:methodId/change`. */
  path: string;
  /** Loaded when the page is visited, like every page. */
  load(): Promise<ComponentType>;
}

/** A page of the admin area that a kind brings (e.g. its hardware tokens), for administrators only. */
export interface MethodKindAdminPage {
  /** Relative to the app's root, under `admin/`. */
  path: string;
  load(): Promise<ComponentType>;
  /** Its entry on the admin area's start page (a heading with the link, and a line about it); absent for pages reached from another. */
  Summary?: ComponentType;
}

/**
 * One verification method kind on the client. Each kind's folder exports one
 * of these; the pages know kinds only through this interface, so adding a
 * kind touches its own folder and the list of kinds, nothing else.
 *
 * Components that pull in heavy code (the QR library, @simplewebauthn) are
 * React.lazy in the entry, so listing a kind costs a page almost nothing.
 */
export interface MethodKindEntry {
  kind: MethodKind;
  /**
   * Place in the "add a method" list, strongest first (higher is stronger).
   * NIST SP 800-63B §5.1.3.3 treats SMS and voice codes as restricted.
   */
  strength: number;
  Setup: ComponentType<SetupProps>;
  Verify: ComponentType<VerifyProps>;
  /** A hook; the hosting component is keyed by kind, so it is called in the same order on every render. */
  useTexts(): MethodKindTexts;
  /** Actions of this kind beside Rename and Delete in the Security info list, e.g. "Change number". */
  ListActions?: ComponentType<{ method: MethodSummary }>;
  /** A way to sign in without a password, offered under the password form. */
  PasswordlessSignIn?: ComponentType<{ onDone(next: SessionInfo): void }>;
  /**
   * Before one of this kind's methods is deleted: reads what the browser must be told afterwards
   * and returns what to run once the delete succeeded (a passkey's provider is told to forget it).
   */
  beforeDelete?(method: MethodSummary): Promise<(() => void) | undefined>;
  /**
   * Right after a sign-in completes on this page: what the kind does with the new session (keeping
   * password managers in step, a passkey upgrade). A message for the user, if anything was added.
   */
  afterSignIn?(state: SignedInState): Promise<string | null>;
  routes?: readonly MethodKindRoute[];
  adminPages?: readonly MethodKindAdminPage[];
}
