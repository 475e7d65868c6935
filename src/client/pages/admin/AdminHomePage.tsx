import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useMethodKinds } from '../../components/methods/method-kinds-context.tsx';

/** The admin area's start: one link per section. */
export function AdminHomePage() {
  const { t } = useTranslation('admin');
  // Sections the method kinds bring (hardware tokens), after the area's own.
  const kindSections = useMethodKinds().flatMap((entry) =>
    (entry.adminPages ?? []).flatMap((p) => (p.Summary ? [{ path: p.path, Summary: p.Summary }] : [])),
  );
  return (
    <div>
      <PageHeading title={t('home.title')}>{t('home.title')}</PageHeading>
      <p className="lead">{t('home.intro')}</p>
      <ul className="admin-sections">
        <li className="card">
          <h2>
            <Link to="/admin/policy">{t('home.policy')}</Link>
          </h2>
          <p className="hint">{t('home.policyHint')}</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/users">{t('home.users')}</Link>
          </h2>
          <p className="hint">{t('home.usersHint')}</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/log">{t('home.log')}</Link>
          </h2>
          <p className="hint">{t('home.logHint')}</p>
        </li>
        {kindSections.map(({ path, Summary }) => (
          <li key={path} className="card">
            {/* A kind's entry loads with this page, not with every page. */}
            <Suspense fallback={null}>
              <Summary />
            </Suspense>
          </li>
        ))}
      </ul>
    </div>
  );
}
