import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../../i18n/password-reset-namespace.ts';
import { MIN_STRENGTH_SCORE, passwordLength, type StrengthEstimate } from '../../../shared/password/rules.ts';

type FeedbackTexts = { warnings: Record<string, string>; suggestions: Record<string, string> };

interface Tools {
  estimate(password: string, userInputs: string[]): StrengthEstimate;
  texts: Record<'en' | 'pl', FeedbackTexts>;
}

/**
 * The estimator and its English and Polish feedback texts, fetched when a meter first shows: a
 * chunk of its own, so no other page grows (docs/reference.md#new-passwords).
 */
async function loadTools(): Promise<Tools> {
  const [{ loadStrengthEstimator }, en, pl] = await Promise.all([
    import('../../../shared/password/rules.ts'),
    import('@zxcvbn-ts/language-en'),
    import('@zxcvbn-ts/language-pl'),
  ]);
  return { estimate: await loadStrengthEstimator(), texts: { en: en.translations, pl: pl.translations } };
}

/**
 * A live strength meter for a new password, with the reason in the user's language. It applies
 * the same rules as the server (length, then the strength estimate); the server alone also checks
 * the list of common passwords and the current password.
 */
export function StrengthMeter({
  password,
  minLength,
  userInputs,
  id,
}: {
  password: string;
  minLength: number;
  userInputs: string[];
  id: string;
}) {
  const { t, i18n } = useTranslation('password-reset');
  const [tools, setTools] = useState<Tools | null>(null);
  useEffect(() => {
    let live = true;
    void loadTools().then((loaded) => {
      if (live) setTools(loaded);
    });
    return () => {
      live = false;
    };
  }, []);

  if (password === '') return <div id={id} className="strength" aria-live="polite" />;
  const short = passwordLength(password) < minLength;
  const estimate = tools && !short ? tools.estimate(password, userInputs) : null;
  const texts = tools?.texts[i18n.language === 'pl' ? 'pl' : 'en'];
  const score = estimate?.score ?? 0;
  const reasons =
    estimate && texts
      ? [estimate.warning ? texts.warnings[estimate.warning] : null, ...estimate.suggestions.map((s) => texts.suggestions[s])]
      : [];
  return (
    <div id={id} className="strength">
      <meter min={0} max={4} low={2} high={3} optimum={4} value={short ? 0 : score} aria-label={t('meter.label')} />
      <div aria-live="polite">
        {short ? (
          <p>{t('meter.tooShort', { count: minLength })}</p>
        ) : !estimate ? (
          <p>{t('meter.loading')}</p>
        ) : (
          <>
            <p>
              <strong>{t(`meter.score.${estimate.score}`)}</strong>
              {estimate.score < MIN_STRENGTH_SCORE ? ` ${t('meter.weak')}` : null}
            </p>
            {reasons
              .filter((r): r is string => Boolean(r))
              .map((reason) => (
                <p key={reason}>{reason}</p>
              ))}
          </>
        )}
      </div>
    </div>
  );
}
