import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import type { MethodKind } from '../../../shared/policy.ts';
import { useMethodKindName } from '../../components/methods/MethodKindName.tsx';

/** Method kinds this client can register, strongest first (NIST SP 800-63B treats SMS and voice as restricted). */
export const addableKinds: MethodKind[] = ['webauthn', 'authenticator', 'phone'];

export function AddMethodChoices({
  info,
  linkPrefix,
  onChoose,
}: {
  info: SecurityInfo;
  linkPrefix?: string;
  onChoose?(kind: MethodKind): void;
}) {
  const { t } = useTranslation('security-info');
  const kindName = useMethodKindName();
  const choices = addableKinds.map((kind) => ({ kind, remaining: info.canAdd.find((c) => c.kind === kind)?.remaining ?? 0 }));
  if (choices.every((c) => c.remaining === 0)) return <p>{t('addPage.nothingLeft')}</p>;
  return (
    <ul className="option-list">
      {choices.map(({ kind, remaining }) => (
        <li key={kind}>
          {remaining === 0 ? (
            <p className="option disabled">
              <strong>{kindName(kind)}</strong> <span>{t('addPage.limitReached')}</span>
            </p>
          ) : onChoose ? (
            <button type="button" className="option" onClick={() => onChoose(kind)}>
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
