import type { TransactionContext } from '../../transaction.ts';
import type { UserRow } from '../../users/users.ts';
import { clearThrottleRowsOf } from '../account-throttles.ts';
import { deleteFlowsOf } from '../password-reset/flow-store.ts';

/**
 * What a new password does to the account, whether the user changed it or reset it
 * (docs/reference.md#changing-the-password): the hash and its date, an administrator's requirement
 * to change it met, every session ended but the one that changed it (none after a reset), any
 * reset in progress dropped, the account's throttles cleared. App passwords are no session and
 * stay. Runs in the caller's transaction, beside its log records and its notice.
 */
export async function setPassword(
  tx: TransactionContext,
  user: Pick<UserRow, 'id' | 'username'>,
  passwordHash: string,
  /** The session that changed it, which goes on; null: every session ends. */
  keepSessionHash: string | null,
): Promise<void> {
  await tx.db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: tx.clock.now(), password_change_required_at: null })
    .where('id', '=', user.id)
    .execute();
  let sessions = tx.db.deleteFrom('sessions').where('user_id', '=', user.id);
  if (keepSessionHash !== null) sessions = sessions.where('id_hash', '<>', keepSessionHash);
  await sessions.execute();
  await deleteFlowsOf(tx.db, user.id);
  await clearThrottleRowsOf(tx, user);
}
