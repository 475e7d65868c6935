/**
 * The page benchmark's yardstick: the smallest one-page app on the same React,
 * react-router and i18next (with react-i18next) as the real client, built by
 * `bench/page-weight.ts` in the same run. What the real page loads beyond this
 * is its own code and whatever else it brings.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';

void i18next.use(initReactI18next).init({
  lng: 'en',
  resources: { en: { common: { appName: 'Security info' } } },
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});

function Page() {
  const { t } = useTranslation();
  return <h1>{t('appName')}</h1>;
}

const router = createBrowserRouter([{ path: '/', element: <Page /> }]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
