import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button.tsx';

/** Copies a value and says so in a live region, for sighted and screen-reader users alike. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Button
        variant="secondary"
        aria-label={label}
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? t('copied') : t('copy')}
      </Button>
      <span className="visually-hidden" role="status">
        {copied ? t('copied') : ''}
      </span>
    </>
  );
}
