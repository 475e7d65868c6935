import type { MethodKind } from '../../../shared/policy.ts';
import { writeVerificationLog, type AuthMode } from '../audit/verification-log.ts';
import type { ServerContext } from '../context.ts';
import { notifySecurityInfoChanged, type SecurityInfoChange } from '../notify/security-info-changed.ts';
import type { TransactionContext } from '../transaction.ts';
import type { UserRow } from '../users/users.ts';
import type { LogFacts } from './method-kind.ts';

/** The log fields the method's kind fills in (a phone's number, a key's credential ID). */
export async function logFactsOf(ctx: ServerContext, method: { id: string; kind: MethodKind }): Promise<LogFacts> {
  return (await ctx.kinds.get(method.kind)?.logFacts?.(ctx, method.id)) ?? {};
}

/**
 * Every change of security info is logged and the user is told
 * (docs/reference.md#verification-log; ASVS V6.3.7), in the change's own transaction.
 */
export async function recordSecurityInfoChange(
  tx: TransactionContext,
  input: {
    user: UserRow;
    change: SecurityInfoChange;
    method: { id: string; kind: MethodKind; label: string };
    clientIp: string;
    facts?: LogFacts;
    /** How the change was proved, where the kind alone does not say (a phone: SMS or call). */
    authMode?: AuthMode;
  },
): Promise<void> {
  await writeVerificationLog(tx, {
    user: input.user,
    event: `security_info.${input.change}`,
    authMode: input.authMode ?? tx.kinds.get(input.method.kind)?.authMode ?? 'none',
    result: 'success',
    clientIp: input.clientIp,
    phone: input.facts?.phone ?? null,
    deviceToken: input.facts?.deviceToken ?? input.method.id,
  });
  await notifySecurityInfoChanged(tx, input.user, input.change, input.method);
}
