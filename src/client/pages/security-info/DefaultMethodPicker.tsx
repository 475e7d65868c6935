import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { Button } from '../../components/Button.tsx';
import { currentDefaultChoice, defaultChoices, isStoredDefault, useDefaultChoiceTitle } from './default-choices.ts';

/** Choose the default sign-in method from the registered ones the organisation allows; a phone as texted or called. */
export function DefaultMethodPicker({ info, onSaved }: { info: SecurityInfo; onSaved(next: SecurityInfo): void }) {
  const { t } = useTranslation('security-info');
  const choiceTitle = useDefaultChoiceTitle();
  const withReauth = useReauth();
  const id = useId();
  const choices = defaultChoices(info);
  const [chosenKey, setChosenKey] = useState((currentDefaultChoice(info, choices) ?? choices[0])?.key ?? '');
  const chosen = choices.find((c) => c.key === chosenKey);
  const { busy, error, run } = useAction();
  const save = () =>
    run(async () => {
      if (!chosen) return;
      const body = { methodId: chosen.method.id, ...(chosen.delivery ? { delivery: chosen.delivery } : {}) };
      onSaved(await withReauth(() => call(api.setDefaultMethod, { body })));
    });

  return (
    <div className="default-picker">
      <div className="field">
        <label htmlFor={id}>{t('default.pickLabel')}</label>
        <select id={id} value={chosenKey} onChange={(e) => setChosenKey(e.target.value)}>
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {choiceTitle(c)}
            </option>
          ))}
        </select>
      </div>
      <ErrorAlert error={error} />
      <Button disabled={busy || !chosen || isStoredDefault(info, chosen)} onClick={() => void save()}>
        {t('default.save')}
      </Button>
    </div>
  );
}
