import { useTranslation } from 'react-i18next';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { useDefaultChoiceTitle } from './default-choices.ts';

/**
 * Which method sign-in asks for first (docs/reference.md#stronger-methods-first): under the
 * system-preferred policy the strongest usable one, which need not be the default.
 */
export function AskedFirst({ info }: { info: SecurityInfo }) {
  const { t } = useTranslation('security-info');
  const choiceTitle = useDefaultChoiceTitle();
  const method = info.methods.find((m) => m.id === info.askedFirst?.methodId);
  if (!info.askedFirst || !method) return null;
  const title = choiceTitle({ method, ...(info.askedFirst.delivery ? { delivery: info.askedFirst.delivery } : {}) });
  return (
    <p className="asked-first">
      {t('askedFirst.text', { method: title })} {info.systemPreferred ? <span className="hint">{t('askedFirst.strongest')}</span> : null}
    </p>
  );
}
