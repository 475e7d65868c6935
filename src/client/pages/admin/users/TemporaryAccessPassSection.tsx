import { useState } from 'react';
import { useTranslation } from 'react-i18next';
// The admin texts come with the admin pages' code.
import '../../../i18n/admin-namespace.ts';
import * as api from '../../../../shared/api/temporary-access-pass.ts';
import type { OrgPolicy } from '../../../../shared/policy.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';
import { IssuePassDialog } from './IssuePassDialog.tsx';

/** The user's temporary access pass: when the active one expires, issuing a new one (shown once), revoking it. */
export function TemporaryAccessPassSection({
  username,
  name,
  policy,
}: {
  username: string;
  name: string;
  policy: OrgPolicy['temporaryAccessPass'];
}) {
  const { t } = useTranslation('admin');
  const formatDate = useFormatDateTime();
  const withReauth = useReauth();
  const { state, reload } = useRemote(
    (signal) => withReauth(() => call(api.getTemporaryAccessPass, { params: { username } }, { signal })),
    [username, withReauth],
  );
  const [issuing, setIssuing] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const revoke = useAction();
  const active = state.data?.active ?? null;

  return (
    <section aria-labelledby="user-pass" className="user-section">
      <h2 id="user-pass">{t('pass.title')}</h2>
      {!policy.enabled ? <p>{t('pass.disabled')}</p> : null}
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' && !active ? <p>{revoked ? t('pass.revoked') : t('pass.none')}</p> : null}
      {active ? (
        <p>
          {t('pass.active', { expires: formatDate(active.expiresAt) })}{' '}
          {Date.parse(active.startsAt) > Date.now() ? `${t('pass.activeFrom', { starts: formatDate(active.startsAt) })} ` : ''}
          {active.oneTime ? t('pass.oneTime') : t('pass.reusable')}
        </p>
      ) : null}
      {policy.enabled ? (
        <div className="actions">
          <Button variant="secondary" onClick={() => setIssuing(true)}>
            {active ? t('pass.replace') : t('pass.issue')}
          </Button>
          {active ? (
            <Button variant="danger" onClick={() => setRevoking(true)}>
              {t('pass.revoke')}
            </Button>
          ) : null}
        </div>
      ) : null}
      <IssuePassDialog
        open={issuing}
        username={username}
        name={name}
        defaults={policy}
        replacesActive={active !== null}
        onClose={() => {
          setIssuing(false);
          setRevoked(false);
          reload();
        }}
      />
      <ConfirmDialog
        open={revoking}
        title={t('pass.revokeTitle')}
        confirmLabel={t('pass.revoke')}
        danger
        busy={revoke.busy}
        onCancel={() => {
          setRevoking(false);
          revoke.setError(null);
        }}
        onConfirm={() =>
          void revoke.run(async () => {
            await withReauth(() => call(api.revokeTemporaryAccessPass, { params: { username } }));
            setRevoking(false);
            setRevoked(true);
            reload();
          })
        }
      >
        <p>{t('pass.revokeBody', { name })}</p>
        <ErrorAlert error={revoke.error} />
      </ConfirmDialog>
    </section>
  );
}
