import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The page's h1. On each new page it takes focus and sets the document title,
 * so screen-reader and keyboard users learn that the page changed.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} – ${t('appName')}`;
  }, [title, t]);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
