import type { ButtonHTMLAttributes } from 'react';
import { Link, type LinkProps } from 'react-router';

/** How a button looks; styles.css styles `.button` and its variants. */
export type ButtonVariant = 'primary' | 'secondary' | 'link' | 'danger';

function buttonClass(variant: ButtonVariant, extra?: string): string {
  return ['button', variant === 'primary' ? null : variant, extra].filter(Boolean).join(' ');
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** A plain button unless it submits its form: a button's default type is submit, which a form's Enter would trigger. */
  type?: 'button' | 'submit';
}

export function Button({ variant = 'primary', type = 'button', className, ...rest }: ButtonProps) {
  return <button type={type} className={buttonClass(variant, className)} {...rest} />;
}

/** A link that looks like a button, for actions that are a page of their own. */
export function ButtonLink({ variant = 'primary', className, ...rest }: LinkProps & { variant?: ButtonVariant }) {
  return <Link className={buttonClass(variant, className)} {...rest} />;
}
