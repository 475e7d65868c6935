import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
// The admin texts come with the admin pages' code.
import '../../i18n/admin-namespace.ts';
import { useSession } from '../../api/session.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';

/** The admin pages, for administrators only; the server refuses everyone else (403) in any case. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const { t } = useTranslation('admin');
  const state = session?.state;
  if (state?.stage === 'signed_in' && state.user.isAdmin) return <>{children}</>;
  return (
    <div>
      <PageHeading title={t('home.title')}>{t('home.title')}</PageHeading>
      <p role="alert" className="alert alert-error">
        {t('notAdmin')}
      </p>
    </div>
  );
}
