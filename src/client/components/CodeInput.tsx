import { useId, type Ref } from 'react';

interface CodeInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Called once when all digits are present, so the form submits itself. */
  onComplete?(code: string): void;
  hint?: string;
  errorId?: string;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  /** Most digits the code may have: 6 unless told (a hardware token may show 8). */
  length?: number;
  /** The field's name, when a form has more than one code (a token's next code). */
  name?: string;
}

/**
 * One field for a one-time code: numeric keyboard on phones, the platform's
 * one-time-code autofill, paste of "123 456" or "123-456" works.
 */
export function CodeInput({
  label,
  value,
  onChange,
  onComplete,
  hint,
  errorId,
  disabled,
  inputRef,
  autoFocus,
  length = 6,
  name = 'code',
}: CodeInputProps) {
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
        name={name}
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
          const digits = event.target.value.replace(/\D/g, '').slice(0, length);
          onChange(digits);
          if (digits.length === length && value.length !== length) onComplete?.(digits);
        }}
      />
    </div>
  );
}
