import type { MethodKindEntry } from './components/methods/method-kind-entry.ts';
import { authenticator } from './methods/authenticator/index.ts';
import { hardwareToken } from './methods/hardware-token/index.ts';
import { phone } from './methods/phone/index.ts';
import { webauthn } from './methods/webauthn/index.ts';

/**
 * The method kinds this client supports: the one place that names them. A new
 * kind is a folder under methods/ exporting a MethodKindEntry, and a line here.
 */
// One kind a line, so adding or removing one is a one-line change.
// prettier-ignore
export const methodKinds: readonly MethodKindEntry[] = [
  authenticator,
  phone,
  webauthn,
  hardwareToken,
];
