import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';
import { byStrength, useMethodKinds } from '../../components/methods/method-kinds-context.tsx';
import { useMethodKindName } from '../../components/methods/MethodKindName.tsx';

/** The kinds this client can register, strongest first, each as a button (onChoose) or a link to its add page. */
export function AddMethodChoices({
  info,
  linkPrefix,
  onChoose,
}: {
  info: SecurityInfo;
  linkPrefix?: string;
  onChoose?(entry: MethodKindEntry): void;
}) {
  const { t } = useTranslation('security-info');
  const kindName = useMethodKindName();
  const choices = byStrength(useMethodKinds()).map((entry) => ({
    entry,
    kind: entry.kind,
    remaining: info.canAdd.find((c) => c.kind === entry.kind)?.remaining ?? 0,
    // A kind the server does not list is not allowed here either.
    turnedOff: info.canAdd.find((c) => c.kind === entry.kind)?.turnedOff ?? true,
  }));
  if (choices.every((c) => c.remaining === 0 && !c.turnedOff)) return <p>{t('addPage.nothingLeft')}</p>;
  return (
    <ul className="option-list">
      {choices.map(({ entry, kind, remaining, turnedOff }) => (
        <li key={kind}>
          {turnedOff ? (
            <p className="option disabled">
              <strong>{kindName(kind)}</strong> <span>{t('addPage.turnedOff')}</span>
            </p>
          ) : remaining === 0 ? (
            <p className="option disabled">
              <strong>{kindName(kind)}</strong> <span>{t('addPage.limitReached')}</span>
            </p>
          ) : onChoose ? (
            <button type="button" className="option" onClick={() => onChoose(entry)}>
              <strong>{kindName(kind)}</strong>
              <span className="option-hint">{t(`addPage.hint.${kind}`)}</span>
            </button>
          ) : (
            <Link className="option" to={`${linkPrefix ?? ''}${kind}`}>
              <strong>{kindName(kind)}</strong>
              <span className="option-hint">{t(`addPage.hint.${kind}`)}</span>
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}
