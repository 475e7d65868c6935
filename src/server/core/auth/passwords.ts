import type * as Argon2 from '@node-rs/argon2';

/**
 * Argon2id with OWASP's Password Storage Cheat Sheet minimum (19 MiB, two
 * passes, one lane): a user-chosen password has little entropy, so a stolen
 * hash must be slow and memory-hard to test guesses against. Argon2id is the
 * package's default algorithm (its const enum cannot be imported under
 * verbatimModuleSyntax); the test checks the PHC string says argon2id.
 */
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// The native module is loaded by the first password check, not at start (docs/reference.md#server-start).
let argon2: Promise<typeof Argon2> | undefined;
const library = () => (argon2 ??= import('@node-rs/argon2'));

export async function hashPassword(password: string): Promise<string> {
  return (await library()).hash(password, options);
}

// Verifying against this when the user does not exist makes an unknown user
// name take as long as a wrong password, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('not-a-real-password');
    const { verify } = await library();
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  const { verify } = await library();
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
