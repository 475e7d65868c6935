import type { MethodKind } from '../../shared/policy.ts';
import { writeVerificationLog, type AuthMode } from '../audit/verification-log.ts';
import type { ServerContext } from '../context.ts';
import { notifySecurityInfoChanged, type SecurityInfoChange } from '../notify/security-info-changed.ts';
import type { UserRow } from '../users/users.ts';

const authModeOf: Record<MethodKind, AuthMode> = {
  authenticator: 'totp',
  phone: 'sms',
  webauthn: 'webauthn',
  hardware_token: 'hardware_token',
};

/**
 * The verification-log fields a method kind fills in (FACTS.md: phone number,
 * device token), for changes made through the generic rename, delete and
 * default routes, which know only the method row. Feature modules register
 * here; a delete must ask before the rows are gone.
 */
export interface LogFacts {
  phone?: string | null;
  deviceToken?: string | null;
}
type LogFactsResolver = (ctx: ServerContext, methodId: string) => Promise<LogFacts>;
const logFactsResolvers = new Map<MethodKind, LogFactsResolver>();

export function registerLogFacts(kind: MethodKind, resolve: LogFactsResolver): void {
  logFactsResolvers.set(kind, resolve);
}

export async function logFactsOf(ctx: ServerContext, method: { id: string; kind: MethodKind }): Promise<LogFacts> {
  return (await logFactsResolvers.get(method.kind)?.(ctx, method.id)) ?? {};
}

/** Every change of security info is logged and the user is told (FACTS.md; ASVS V6.3.7). */
export async function recordSecurityInfoChange(
  ctx: ServerContext,
  input: {
    user: UserRow;
    change: SecurityInfoChange;
    method: { id: string; kind: MethodKind; label: string };
    clientIp: string;
    phone?: string | null;
    deviceToken?: string | null;
    /** How the change was proved, where the kind alone does not say (a phone: SMS or call). */
    authMode?: AuthMode;
  },
): Promise<void> {
  await writeVerificationLog(ctx, {
    user: input.user,
    event: `security_info.${input.change}`,
    authMode: input.authMode ?? authModeOf[input.method.kind],
    result: 'success',
    clientIp: input.clientIp,
    phone: input.phone ?? null,
    deviceToken: input.deviceToken ?? input.method.id,
  });
  await notifySecurityInfoChanged(ctx, input.user, input.change, input.method);
}
