import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
// The admin texts come with the admin pages' code.
import '../../i18n/admin-namespace.ts';
import { useSession } from '../../api/session.tsx';
import { Button } from '../../components/Button.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ReauthDialog } from '../../components/methods/ReauthDialog.tsx';

/**
 * The admin pages, for administrators only, and only after a recent
 * second-step verification (docs/reference.md#admin-area). The server refuses
 * everyone else in any case (403, or `reauth_required`). A page already open
 * stays open when the verification runs out, so nothing typed is lost: its
 * next request asks to verify again (ReauthProvider), and the next admin page
 * asks first.
 */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { session, setSession } = useSession();
  const { t } = useTranslation('admin');
  const [verifying, setVerifying] = useState(false);
  const state = session?.state;
  const admin = state?.stage === 'signed_in' && state.user.isAdmin;
  const [openedAt] = useState(() => Date.now());
  const validUntil = state?.stage === 'signed_in' && state.reauthValidUntil ? Date.parse(state.reauthValidUntil) : 0;
  const recent = validUntil > openedAt;
  if (admin && recent) return <>{children}</>;
  return (
    <div>
      <PageHeading title={t('home.title')}>{t('home.title')}</PageHeading>
      {admin ? (
        <>
          <p>{t('verifyFirst.intro')}</p>
          <Button onClick={() => setVerifying(true)}>{t('verifyFirst.verify')}</Button>
          <ReauthDialog
            open={verifying}
            onClose={(verified) => {
              setVerifying(false);
              if (verified) setSession(verified);
            }}
          />
        </>
      ) : (
        <p role="alert" className="alert alert-error">
          {t('notAdmin')}
        </p>
      )}
    </div>
  );
}
