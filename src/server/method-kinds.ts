import type { MethodKindModule } from './core/security-info/method-kind.ts';
import { authenticatorKind } from './methods/authenticator/module.ts';
import { hardwareTokenKind } from './methods/hardware-token/module.ts';
import { phoneKind } from './methods/phone/module.ts';
import { webauthnKind } from './methods/webauthn/module.ts';

/** The method kinds this server offers: one line per kind (docs/architecture.md). */
export const methodKinds: readonly MethodKindModule[] = [authenticatorKind, phoneKind, webauthnKind, hardwareTokenKind];
