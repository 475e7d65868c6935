import { useTranslation } from 'react-i18next';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { entryOf, useMethodKinds } from '../../components/methods/method-kinds-context.tsx';
import { useMethodKindName } from '../../components/methods/MethodKindName.tsx';
import { useFormatDateTime } from '../../hooks/use-format.ts';
import { Button } from '../../components/Button.tsx';

/** The kind's own actions (e.g. "Change number"), if it has any. */
function KindActions({ method }: { method: MethodSummary }) {
  const entry = entryOf(useMethodKinds(), method.kind);
  return entry?.ListActions ? <entry.ListActions method={method} /> : null;
}

interface Props {
  methods: MethodSummary[];
  onDelete?(method: MethodSummary): void;
  onRename?(method: MethodSummary): void;
}

/** The user's methods as a list of cards (a table does not fit a 375 px phone). */
export function MethodList({ methods, onDelete, onRename }: Props) {
  const { t } = useTranslation('security-info');
  const kindName = useMethodKindName();
  const formatDate = useFormatDateTime();
  return (
    <ul className="method-list" aria-label={t('list.label')}>
      {methods.map((m) => (
        <li key={m.id} className="method">
          <div className="method-main">
            <h3 className="method-kind">
              {kindName(m.kind)}
              {m.isDefault ? <span className="badge">{t('list.default')}</span> : null}
              {m.turnedOff ? <span className="badge badge-off">{t('list.turnedOff')}</span> : null}
            </h3>
            {m.label !== kindName(m.kind) ? <p className="method-label">{m.label}</p> : null}
            {m.detail ? <p className="method-detail">{m.detail}</p> : null}
            <dl className="method-dates">
              <dt>{t('list.added')}</dt>
              <dd>{formatDate(m.createdAt)}</dd>
              <dt>{t('list.lastUsed')}</dt>
              <dd>{m.lastUsedAt ? formatDate(m.lastUsedAt) : t('list.never')}</dd>
            </dl>
          </div>
          {onDelete || onRename ? (
            <div className="method-actions">
              <KindActions method={m} />
              {onRename ? (
                <Button variant="secondary" onClick={() => onRename(m)} aria-label={t('actions.renameNamed', { label: m.label })}>
                  {t('actions.rename')}
                </Button>
              ) : null}
              {onDelete ? (
                <Button variant="danger" onClick={() => onDelete(m)} aria-label={t('actions.deleteNamed', { label: m.label })}>
                  {t('actions.delete')}
                </Button>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
