import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useMethodTitle } from '../../components/methods/MethodKindName.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { Button } from '../../components/Button.tsx';

/** Choose the default sign-in method from the registered ones the organisation allows. */
export function DefaultMethodPicker({ info, onSaved }: { info: SecurityInfo; onSaved(next: SecurityInfo): void }) {
  const { t } = useTranslation('security-info');
  const methodTitle = useMethodTitle();
  const withReauth = useReauth();
  const id = useId();
  const usable = info.methods.filter((m) => !m.turnedOff);
  const [chosen, setChosen] = useState(info.defaultMethodId ?? usable[0]?.id ?? '');
  const { busy, error, run } = useAction();
  const save = () => run(async () => onSaved(await withReauth(() => call(api.setDefaultMethod, { body: { methodId: chosen } }))));

  return (
    <div className="default-picker">
      <div className="field">
        <label htmlFor={id}>{t('default.pickLabel')}</label>
        <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {usable.map((m) => (
            <option key={m.id} value={m.id}>
              {methodTitle(m)}
            </option>
          ))}
        </select>
      </div>
      <ErrorAlert error={error} />
      <Button disabled={busy || chosen === info.defaultMethodId} onClick={() => void save()}>
        {t('default.save')}
      </Button>
    </div>
  );
}
