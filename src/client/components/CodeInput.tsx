import { useId, type Ref } from 'react';

interface CodeInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Called once when six digits are present, so the form submits itself. */
  onComplete?(code: string): void;
  hint?: string;
  errorId?: string;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
}

const LENGTH = 6;

/**
 * One field for a one-time code: numeric keyboard on phones, the platform's
 * one-time-code autofill, paste of "123 456" or "123-456" works.
 */
export function CodeInput({ label, value, onChange, onComplete, hint, errorId, disabled, inputRef, autoFocus }: CodeInputProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : undefined, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input
        ref={inputRef}
        id={id}
        name="code"
        className="code-input"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        spellCheck={false}
        value={value}
        disabled={disabled}
        autoFocus={autoFocus}
        aria-describedby={describedBy}
        aria-invalid={errorId ? true : undefined}
        onChange={(event) => {
          const digits = event.target.value.replace(/\D/g, '').slice(0, LENGTH);
          onChange(digits);
          if (digits.length === LENGTH && value.length !== LENGTH) onComplete?.(digits);
        }}
      />
    </div>
  );
}
