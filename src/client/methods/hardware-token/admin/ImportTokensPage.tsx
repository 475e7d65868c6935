import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import * as api from '../../../../shared/api/hardware-token.ts';
import { TOKEN_IMPORT_MAX_BYTES, type TokenImportBody, type TokenImportPreview } from '../../../../shared/api/hardware-token.ts';
import { ApiError, call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeading } from '../../../components/PageHeading.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import './admin-texts.ts';
import './hardware-tokens.css';
import { ImportPreview } from './ImportPreview.tsx';

type Format = TokenImportBody['format'];
type Checked = { body: TokenImportBody; preview: TokenImportPreview };

/** The file's text (UTF-8), read with FileReader, which every browser (and jsdom) has. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(file, 'utf-8');
  });
}

/** A file's format from its name: PSKC files are XML. */
const formatOf = (name: string): Format => (/\.(xml|pskc)$/i.test(name) ? 'pskc' : 'csv');

/**
 * Importing tokens: choose the file (and, for encrypted PSKC, the pre-shared key), check it,
 * then import every token of it or none. The file is read in the browser and sent as text.
 */
export function ImportTokensPage() {
  const { t } = useTranslation('hardware-token-admin');
  const withReauth = useReauth();
  const { busy, error, setError, run } = useAction();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('csv');
  const [key, setKey] = useState('');
  const [checked, setChecked] = useState<Checked | null>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const [imported, setImported] = useState<number | null>(null);
  const fileId = useId();
  const keyId = useId();
  const result = useRef<HTMLHeadingElement>(null);

  function reset() {
    setChecked(null);
    setImported(null);
    setTooLarge(false);
    setError(null);
  }

  function check(event: FormEvent) {
    event.preventDefault();
    if (!file || busy) return;
    reset();
    if (file.size > TOKEN_IMPORT_MAX_BYTES) {
      setTooLarge(true);
      return;
    }
    void run(async () => {
      const body: TokenImportBody = {
        format,
        content: await readText(file),
        ...(format === 'pskc' && key.trim() ? { preSharedKey: key } : {}),
      };
      try {
        setChecked({ body, preview: await call(api.previewTokenImport, { body }) });
        requestAnimationFrame(() => result.current?.focus());
      } catch (e) {
        if (e instanceof ApiError && e.code === 'payload_too_large') setTooLarge(true);
        else throw e;
      }
    });
  }

  const commit = (body: TokenImportBody) =>
    run(async () => {
      const done = await withReauth(() => call(api.commitTokenImport, { body }));
      setChecked(null);
      setImported(done.imported);
    });

  const canImport = checked !== null && checked.preview.problemCount === 0 && checked.preview.tokens > 0;

  return (
    <div>
      <PageHeading title={t('importTitle')}>{t('importTitle')}</PageHeading>
      <p className="lead">{t('importIntro')}</p>
      <form onSubmit={check} noValidate className="card">
        <div className="field">
          <label htmlFor={fileId}>{t('fileLabel')}</label>
          <p id={`${fileId}-hint`} className="hint">
            {t('fileHint')}
          </p>
          <input
            id={fileId}
            type="file"
            accept=".csv,.xml,.pskc,text/csv,application/xml,text/xml"
            aria-describedby={`${fileId}-hint`}
            onChange={(e) => {
              const chosen = e.target.files?.[0] ?? null;
              reset();
              setFile(chosen);
              if (chosen) setFormat(formatOf(chosen.name));
            }}
          />
        </div>
        <fieldset className="field">
          <legend>{t('formatLabel')}</legend>
          {(['csv', 'pskc'] as const).map((f) => (
            <div className="radio" key={f}>
              <input
                type="radio"
                id={`${fileId}-${f}`}
                name="format"
                value={f}
                checked={format === f}
                onChange={() => {
                  reset();
                  setFormat(f);
                }}
              />
              <label htmlFor={`${fileId}-${f}`}>{f === 'csv' ? t('formatCsv') : t('formatPskc')}</label>
            </div>
          ))}
        </fieldset>
        {format === 'pskc' ? (
          <div className="field">
            <label htmlFor={keyId}>{t('keyLabel')}</label>
            <p id={`${keyId}-hint`} className="hint">
              {t('keyHint')}
            </p>
            <input
              id={keyId}
              value={key}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${keyId}-hint`}
              onChange={(e) => {
                reset();
                setKey(e.target.value);
              }}
            />
          </div>
        ) : null}
        {tooLarge ? (
          <p role="alert" className="alert alert-error">
            {t('tooLarge')}
          </p>
        ) : null}
        <ErrorAlert error={error} />
        <div className="actions">
          <Button type="submit" disabled={!file || busy}>
            {t('check')}
          </Button>
        </div>
      </form>
      {checked ? (
        <section aria-labelledby="import-result">
          <h2 id="import-result" ref={result} tabIndex={-1}>
            {t('previewTitle')}
          </h2>
          <ImportPreview preview={checked.preview} />
          {canImport ? (
            <div className="actions">
              <Button disabled={busy} onClick={() => void commit(checked.body)}>
                {t('commit', { count: checked.preview.tokens })}
              </Button>
            </div>
          ) : null}
        </section>
      ) : null}
      <p role="status" className="status">
        {imported !== null ? t('imported', { count: imported }) : ''}
      </p>
      <p>
        <Link to="/admin/hardware-tokens">{t('backToList')}</Link>
      </p>
    </div>
  );
}
