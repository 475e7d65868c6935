import { useTranslation } from 'react-i18next';
import type { TokenImportPreview } from '../../../../shared/api/hardware-token.ts';

/** What a check of the file found: how many tokens would be imported, and every problem with where it is. */
export function ImportPreview({ preview }: { preview: TokenImportPreview }) {
  const { t } = useTranslation('hardware-token-admin');
  return (
    <>
      <p>{t('previewTokens', { count: preview.tokens, totp: preview.totp, hotp: preview.hotp })}</p>
      {preview.problemCount > 0 ? (
        <>
          <p role="alert" className="alert alert-error">
            {t('problems', { count: preview.problemCount })}
          </p>
          <div className="token-table-scroll" role="region" aria-labelledby="problems-caption" tabIndex={0}>
            <table className="token-table">
              <caption id="problems-caption">{t('problemsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('where')}</th>
                  <th scope="col">{t('serial')}</th>
                  <th scope="col">{t('why')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.problems.map((problem, i) => (
                  <tr key={i}>
                    <td>{problem.line !== undefined ? t('line', { line: problem.line }) : (problem.element ?? '')}</td>
                    <td>{problem.serial ?? ''}</td>
                    <td>{t(`problem.${problem.reason}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.problems.length < preview.problemCount ? (
            <p className="hint">{t('moreProblems', { shown: preview.problems.length })}</p>
          ) : null}
        </>
      ) : null}
    </>
  );
}
