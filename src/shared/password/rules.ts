/**
 * The rules for a password a person chooses (docs/reference.md#new-passwords), in one place for
 * every flow that sets one (self-service reset now, changing it later) and for the client's live
 * meter. NIST SP 800-63B §5.1.1.2: a minimum length, no composition rules, refuse what is known to
 * be common or guessable. The server adds the two checks that need it: the shipped list of common
 * passwords and "not the current password".
 */

/** The longest password accepted; long enough for any passphrase, short enough to estimate quickly. */
export const PASSWORD_MAX_LENGTH = 256;

/** zxcvbn's scores run 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_STRENGTH_SCORE = 3;

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

/** The estimator's verdict; warning and suggestions are keys of its feedback, translated by whoever shows them. */
export interface StrengthEstimate {
  score: StrengthScore;
  warning: string | null;
  suggestions: string[];
}

export type PasswordVerdict =
  | { ok: true; estimate: StrengthEstimate }
  | { ok: false; code: 'password_too_short'; minLength: number }
  | { ok: false; code: 'password_weak'; estimate: StrengthEstimate };

/** Characters as a person counts them: Unicode code points, not UTF-16 units (NIST SP 800-63B §5.1.1.2). */
export function passwordLength(password: string): number {
  return [...password].length;
}

type Estimator = (password: string, userInputs: string[]) => StrengthEstimate;

let estimator: Promise<Estimator> | undefined;

/**
 * @zxcvbn-ts with the common dictionaries, English and Polish words and names, and the keyboard
 * layouts. Loaded on first use only: on the client it is a chunk of its own, so no page that does
 * not set a password pays for its dictionaries.
 */
export function loadStrengthEstimator(): Promise<Estimator> {
  estimator ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
    import('@zxcvbn-ts/language-pl'),
  ]).then(([core, common, en, pl]) => {
    // The Polish package names its lists like the English one once did; a suffix keeps both.
    const polish = Object.fromEntries(Object.entries(pl.dictionary).map(([name, words]) => [`${name}-pl`, words]));
    const factory = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary, ...polish },
      graphs: common.adjacencyGraphs,
      maxLength: PASSWORD_MAX_LENGTH,
    });
    return (password: string, userInputs: string[]) => {
      const result = factory.check(password, userInputs);
      return { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
    };
  });
  return estimator;
}

/** The words a guesser would try first for this person: their user name, their name and the organisation's name, whole and word by word. */
export function personalWords(values: ReadonlyArray<string | null | undefined>): string[] {
  const words = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    const lower = value.toLowerCase();
    words.add(lower);
    for (const part of lower.split(/[\s@._-]+/)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/** Length, then strength: the checks the server and the client's meter share. */
export async function assessPassword(password: string, options: { minLength: number; userInputs: string[] }): Promise<PasswordVerdict> {
  if (passwordLength(password) < options.minLength) return { ok: false, code: 'password_too_short', minLength: options.minLength };
  const estimate = (await loadStrengthEstimator())(password, options.userInputs);
  if (estimate.score < MIN_STRENGTH_SCORE) return { ok: false, code: 'password_weak', estimate };
  return { ok: true, estimate };
}
