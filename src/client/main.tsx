import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { SessionProvider } from './api/session.tsx';
import { MethodKindsProvider } from './components/methods/method-kinds-context.tsx';
import { initI18n } from './i18n/index.ts';
import { methodKinds } from './method-kinds.ts';
import { routes } from './routes.tsx';
import './styles.css';

await initI18n();
const router = createBrowserRouter(routes);
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <MethodKindsProvider kinds={methodKinds}>
        <RouterProvider router={router} />
      </MethodKindsProvider>
    </SessionProvider>
  </StrictMode>,
);
