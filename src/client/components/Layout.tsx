import { NavLink, Outlet, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as sessionApi from '../../shared/api/session.ts';
import { call } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { ReauthProvider } from '../hooks/use-reauth.tsx';
import { Button } from './Button.tsx';

export function Layout() {
  const { t } = useTranslation();
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const state = session?.state;
  const signedIn = state?.stage === 'signed_in';
  const user = state && state.stage !== 'anonymous' ? state.user : null;

  async function signOut() {
    await call(sessionApi.signOut).catch(() => undefined);
    await refresh();
    navigate('/sign-in');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <span className="brand">{t('appName')}</span>
        <LanguageSwitcher />
        {user ? (
          <div className="account">
            <span className="account-name">{t('signedInAs', { name: user.displayName })}</span>
            {signedIn && user.isAdmin ? (
              <NavLink to="/admin" className="admin-link">
                {t('nav.admin')}
              </NavLink>
            ) : null}
            <Button variant="link" onClick={() => void signOut()}>
              {t('signOut')}
            </Button>
          </div>
        ) : null}
      </header>
      {signedIn ? (
        <nav aria-label={t('nav.label')} className="site-nav">
          <NavLink to="/security-info">{t('nav.securityInfo')}</NavLink>
          <NavLink to="/activity">{t('nav.activity')}</NavLink>
          {session?.devTools ? <NavLink to="/dev/outbox">{t('nav.outbox')}</NavLink> : null}
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        <ReauthProvider>
          <Outlet />
        </ReauthProvider>
      </main>
    </>
  );
}
