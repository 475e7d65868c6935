import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/webauthn.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { useAction } from '../../hooks/use-action.ts';
import { getAssertion } from './webauthn-browser.ts';
import { WebAuthnErrorAlert } from './WebAuthnErrorAlert.tsx';
import { Button } from '../../components/Button.tsx';

/** Verifies the user with one of their registered keys: sign-in's second step, or re-verification. */
export function WebAuthnVerifyForm({ onVerified }: { onVerified(next: SessionInfo): void }) {
  const { t } = useTranslation('webauthn');
  const { busy, error, run } = useAction();

  const verify = () =>
    run(async () => {
      const { challengeId, options } = await call(api.startWebAuthnVerification, { body: {} });
      const response = await getAssertion(options);
      onVerified(await call(api.finishWebAuthnVerification, { body: { challengeId, response } }));
    });

  return (
    <div>
      <p>{t('verify.intro')}</p>
      <WebAuthnErrorAlert error={error} />
      <div className="actions">
        <Button disabled={busy} onClick={() => void verify()}>
          {t('verify.button')}
        </Button>
      </div>
    </div>
  );
}
