import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/admin.ts';
import type { OrgPolicy } from '../../../../shared/policy.ts';
import { ApiError, call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeading } from '../../../components/PageHeading.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';
import { PolicyPreviewDialog } from './PolicyPreviewDialog.tsx';
import { fromDraft, numberBounds, policyGroupIds, policyGroups, toDraft, type Draft, type PolicyField } from './policy-form.ts';

/** The organisation policy, every field grouped and explained; turning something off shows whom it affects first. */
export function PolicyPage() {
  const { t } = useTranslation(['admin', 'common']);
  const withReauth = useReauth();
  const { state, set } = useRemote((signal) => withReauth(() => call(api.getOrgPolicy, {}, { signal })), [withReauth]);
  return (
    <div>
      <PageHeading title={t('policy.title')}>{t('policy.title')}</PageHeading>
      <p className="lead">{t('policy.intro')}</p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' ? <PolicyForm policy={state.data} onSaved={set} /> : null}
      {state.status === 'loading' ? (
        <p role="status" className="loading">
          {t('common:loading')}
        </p>
      ) : null}
    </div>
  );
}

/** Field paths from the server's (or the schema's) issues, e.g. `body.sendLimit.count` → `sendLimit.count`. */
function fieldsOf(paths: string[]): Set<string> {
  return new Set(paths.map((p) => p.replace(/^body\./, '')));
}

function PolicyForm({ policy, onSaved }: { policy: OrgPolicy; onSaved(policy: OrgPolicy): void }) {
  const { t } = useTranslation(['admin', 'common']);
  const withReauth = useReauth();
  const [draft, setDraft] = useState<Draft>(() => toDraft(policy));
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<{ policy: OrgPolicy; preview: api.PolicyPreview } | null>(null);
  const [saved, setSaved] = useState(false);
  const check = useAction();
  const save = useAction();

  function refused(error: unknown): boolean {
    if (error instanceof ApiError && error.code === 'invalid_input' && error.data.fields) {
      setInvalid(fieldsOf(error.data.fields.map((f) => f.path)));
      return true;
    }
    return false;
  }

  async function store(next: OrgPolicy) {
    try {
      const stored = await withReauth(() => call(api.setOrgPolicy, { body: next }));
      setPending(null);
      setSaved(true);
      setDraft(toDraft(stored));
      onSaved(stored);
    } catch (error) {
      if (refused(error)) setPending(null);
      else throw error;
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = fromDraft(draft);
    if (parsed.issues) {
      setInvalid(fieldsOf(parsed.issues));
      return;
    }
    setInvalid(new Set());
    const next = parsed.policy;
    void check.run(async () => {
      try {
        const preview = await call(api.previewOrgPolicy, { body: next });
        if (preview.turnedOff.length > 0) setPending({ policy: next, preview });
        else await save.run(() => store(next));
      } catch (error) {
        if (!refused(error)) throw error;
      }
    });
  }

  const groupProps = { draft, invalid, onChange: (path: string, value: string | boolean) => setDraft((d) => ({ ...d, [path]: value })) };
  return (
    <form onSubmit={submit} noValidate className="policy-form">
      {invalid.size > 0 ? (
        <p role="alert" className="alert alert-error">
          {t('policy.fixFields')}
        </p>
      ) : null}
      {policyGroupIds.map((group) => (
        <fieldset key={group} className="card policy-group">
          <legend>{t(`policy.groups.${group}.title`)}</legend>
          <p className="hint">{t(`policy.groups.${group}.hint`)}</p>
          {policyGroups[group].map((field) => (
            <PolicyInput key={field.path} field={field} {...groupProps} />
          ))}
        </fieldset>
      ))}
      <ErrorAlert error={check.error ?? save.error} />
      {saved ? (
        <p role="status" className="status">
          {t('policy.saved')}
        </p>
      ) : null}
      <div className="actions">
        <Button type="submit" disabled={check.busy || save.busy}>
          {t('policy.save')}
        </Button>
      </div>
      <PolicyPreviewDialog
        preview={pending?.preview ?? null}
        busy={save.busy}
        error={save.error}
        onCancel={() => {
          setPending(null);
          save.setError(null);
        }}
        onConfirm={() => {
          if (pending) void save.run(() => store(pending.policy));
        }}
      />
    </form>
  );
}

interface InputProps {
  field: PolicyField;
  draft: Draft;
  invalid: Set<string>;
  onChange(path: string, value: string | boolean): void;
}

function PolicyInput({ field, draft, invalid, onChange }: InputProps) {
  const { t } = useTranslation('admin');
  const id = useId();
  const value = draft[field.path];
  const hint = field.kind === 'choice' ? '' : t(`policy.fields.${field.path}.hint`);
  const bounds = field.kind === 'number' ? numberBounds(field.path) : null;
  const wrong = invalid.has(field.path);
  const message = bounds ? t('policy.range', bounds) : t('policy.invalid');
  const describedBy = [hint ? `${id}-hint` : null, wrong ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const error = wrong ? (
    <p className="field-error" id={`${id}-error`}>
      {message}
    </p>
  ) : null;
  const hintText = hint ? (
    <p className="hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;

  if (field.kind === 'toggle') {
    return (
      <div className="field">
        <div className="radio">
          <input
            type="checkbox"
            id={id}
            checked={value === true}
            aria-describedby={describedBy}
            aria-invalid={wrong || undefined}
            onChange={(e) => onChange(field.path, e.target.checked)}
          />
          <label htmlFor={id}>{t(`policy.fields.${field.path}.label`)}</label>
        </div>
        {hintText}
        {error}
      </div>
    );
  }
  if (field.kind === 'choice') {
    const labelOf = (option: string) =>
      field.path === 'passwordReset.methodsRequired' && (option === '1' || option === '2')
        ? t(option === '1' ? 'policy.fields.passwordReset.methodsRequired.one' : 'policy.fields.passwordReset.methodsRequired.two')
        : option === '1'
          ? t('policy.fields.registration.methodsRequired.one')
          : option === '2'
            ? t('policy.fields.registration.methodsRequired.two')
            : option === 'temporary_access_pass' || option === 'register_after_password'
              ? t(`policy.fields.registration.whenNoUsableMethod.${option}`)
              : option;
    return (
      <fieldset className="field" aria-describedby={wrong ? `${id}-error` : undefined}>
        <legend>{t(`policy.fields.${field.path}.label`)}</legend>
        {field.options.map((option) => (
          <div className="radio" key={option}>
            <input type="radio" id={`${id}-${option}`} name={id} checked={value === option} onChange={() => onChange(field.path, option)} />
            <label htmlFor={`${id}-${option}`}>{labelOf(option)}</label>
          </div>
        ))}
        {error}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{t(`policy.fields.${field.path}.label`)}</label>
      {hintText}
      <input
        id={id}
        inputMode="numeric"
        className="number-input"
        value={typeof value === 'string' ? value : ''}
        aria-describedby={describedBy}
        aria-invalid={wrong || undefined}
        onChange={(e) => onChange(field.path, e.target.value)}
      />
      {error}
    </div>
  );
}
