import { useTranslation } from 'react-i18next';
import '../../../i18n/admin-namespace.ts';
import * as api from '../../../../shared/api/admin-users.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useAction } from '../../../hooks/use-action.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';

/** The user said "this wasn't me" about a security-info e-mail: what was done, what to check, and a way to clear the mark. */
export function NeedsReviewNotice({ username, since, onCleared }: { username: string; since: string; onCleared(message: string): void }) {
  const { t } = useTranslation('admin');
  const formatDate = useFormatDateTime();
  const withReauth = useReauth();
  const { busy, error, run } = useAction();
  return (
    <section className="alert alert-warning" aria-labelledby="user-review">
      <h2 id="user-review">{t('user.review.title')}</h2>
      <p>{t('user.review.body', { when: formatDate(since) })}</p>
      <ErrorAlert error={error} />
      <Button
        variant="secondary"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            await withReauth(() => call(api.clearNeedsReview, { params: { username } }));
            onCleared(t('user.review.cleared'));
          })
        }
      >
        {t('user.review.clear')}
      </Button>
    </section>
  );
}
