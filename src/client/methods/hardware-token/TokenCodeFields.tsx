import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.tsx';
import { CodeInput } from '../../components/CodeInput.tsx';

/** The codes a token form sends: one, or two in a row to resynchronise (docs/reference.md#hardware-tokens). */
export interface TokenCodes {
  code: string;
  nextCode: string;
  /** The second field is shown: the token drifted, or was pressed many times. */
  resync: boolean;
}

export const noCodes: TokenCodes = { code: '', nextCode: '', resync: false };

/** A token shows 6 or 8 digits; the form cannot know which before the server says. */
const complete = (code: string) => code.length === 6 || code.length === 8;

export function codesReady(codes: TokenCodes): boolean {
  return complete(codes.code) && (!codes.resync || (complete(codes.nextCode) && codes.nextCode.length === codes.code.length));
}

/** The body's codes: the next one only when resynchronising. */
export function codesBody(codes: TokenCodes): { code: string; nextCode?: string } {
  return codes.resync ? { code: codes.code, nextCode: codes.nextCode } : { code: codes.code };
}

interface Props {
  codes: TokenCodes;
  onChange(codes: TokenCodes): void;
  errorId?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  /** A code was refused: suggest two codes in a row. */
  suggestResync: boolean;
}

/** The token's code, and on request the one it shows next. */
export function TokenCodeFields({ codes, onChange, errorId, inputRef, autoFocus, suggestResync }: Props) {
  const { t } = useTranslation('hardware-token-forms');
  return (
    <>
      <CodeInput
        label={t('code.label')}
        hint={t('code.hint')}
        value={codes.code}
        onChange={(code) => onChange({ ...codes, code })}
        errorId={errorId}
        inputRef={inputRef}
        autoFocus={autoFocus}
        length={8}
      />
      {codes.resync ? (
        <CodeInput
          label={t('code.nextLabel')}
          hint={t('code.nextHint')}
          name="nextCode"
          value={codes.nextCode}
          onChange={(nextCode) => onChange({ ...codes, nextCode })}
          errorId={errorId}
          length={8}
        />
      ) : null}
      {suggestResync && !codes.resync ? <p className="hint">{t('code.resyncSuggestion')}</p> : null}
      <Button variant="link" onClick={() => onChange({ ...codes, nextCode: '', resync: !codes.resync })} aria-expanded={codes.resync}>
        {codes.resync ? t('code.resyncHide') : t('code.resyncShow')}
      </Button>
    </>
  );
}
