import type { Migration, MigrationProvider } from 'kysely';
import * as core from './001-core.ts';
import * as authenticator from './002-authenticator.ts';
import * as appPasswords from './003-app-passwords.ts';
import * as webauthn from './004-webauthn.ts';
import * as phone from './005-phone.ts';
import * as temporaryAccessPasses from './006-temporary-access-passes.ts';
import * as verificationLogIndexes from './007-verification-log-indexes.ts';
import * as adminConsole from './008-admin-console.ts';
import * as verificationLogResultIndex from './009-verification-log-result-index.ts';
import * as defaultDelivery from './010-default-delivery.ts';
import * as hardwareTokens from './011-hardware-tokens.ts';
import * as mailQueue from './012-mail-queue.ts';
import * as userSearchCoveringIndexes from './013-user-search-covering-indexes.ts';
import * as verificationLogTimeIndexUsername from './014-verification-log-time-index-username.ts';
import * as changeCounter from './015-change-counter.ts';
import * as recoveryCodes from './016-recovery-codes.ts';
import * as strongerMethods from './018-stronger-methods.ts';
import * as passwordReset from './019-password-reset.ts';
import * as passwordChange from './020-password-change.ts';

/**
 * Migrations are imported, not read from disk, so the bundled server carries
 * them. Each feature adds its own file here; names sort in the order they run.
 */
const migrations: Record<string, Migration> = {
  '001-core': core,
  '002-authenticator': authenticator,
  '003-app-passwords': appPasswords,
  '004-webauthn': webauthn,
  '005-phone': phone,
  '006-temporary-access-passes': temporaryAccessPasses,
  '007-verification-log-indexes': verificationLogIndexes,
  '008-admin-console': adminConsole,
  '009-verification-log-result-index': verificationLogResultIndex,
  '010-default-delivery': defaultDelivery,
  '011-hardware-tokens': hardwareTokens,
  '012-mail-queue': mailQueue,
  '013-user-search-covering-indexes': userSearchCoveringIndexes,
  '014-verification-log-time-index-username': verificationLogTimeIndexUsername,
  '015-change-counter': changeCounter,
  '016-recovery-codes': recoveryCodes,
  '018-stronger-methods': strongerMethods,
  '019-password-reset': passwordReset,
  '020-password-change': passwordChange,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
