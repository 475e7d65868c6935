import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/stronger-methods.ts';
import { call } from '../../api/client.ts';
import { Button, ButtonLink } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useRemote } from '../../hooks/use-remote.ts';

/**
 * The invitation, for a user whose only methods are phones, to add a passkey or an authenticator
 * app (docs/reference.md#stronger-methods-first). "Not now" puts it off for 14 days; the third
 * time it is put off, it ends.
 */
export function StrongerMethodsNudge({ onSnoozed }: { onSnoozed(message: string): void }) {
  const { t } = useTranslation('security-info');
  const { state, set } = useRemote((signal) => call(api.getNudge, {}, { signal }), []);
  const { busy, error, run } = useAction();
  const nudge = state.data;
  if (!nudge?.show) return null;

  const snooze = () =>
    run(async () => {
      const last = nudge.lastReminder;
      set(await call(api.snoozeNudge, { body: {} }));
      onSnoozed(last ? t('strongerNudge.dismissed') : t('strongerNudge.snoozed'));
    });
  return (
    <section className="card nudge-panel" aria-labelledby="stronger-nudge-heading">
      <h2 id="stronger-nudge-heading">{t('strongerNudge.title')}</h2>
      <p>{t('strongerNudge.body')}</p>
      {nudge.lastReminder ? <p className="hint">{t('strongerNudge.lastReminder')}</p> : null}
      <ErrorAlert error={error} />
      <div className="actions">
        {nudge.offers.map((kind) => (
          <ButtonLink key={kind} to={`/security-info/add/${kind}`}>
            {t(`strongerNudge.add.${kind}`)}
          </ButtonLink>
        ))}
        <Button variant="secondary" disabled={busy} onClick={() => void snooze()}>
          {nudge.lastReminder ? t('strongerNudge.dismiss') : t('strongerNudge.snooze')}
        </Button>
      </div>
    </section>
  );
}
