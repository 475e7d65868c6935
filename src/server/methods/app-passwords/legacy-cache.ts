import type { OrgPolicy } from '../../../shared/policy.ts';
import type { ChangeFeed } from '../../core/storage/change-feed.ts';
import type { UserRow } from '../../core/users/users.ts';

/** What a legacy sign-in shows and logs of a user. */
export type LegacyUser = Pick<UserRow, 'id' | 'username' | 'first_name' | 'last_name' | 'email'>;

export interface LegacyVerifier {
  id: string;
  hash: string;
  /** Updated in place when this instance writes a newer "last used". */
  lastUsedAt: number | null;
}

/** A user name's account as the legacy path needs it; `user` undefined when no account has that name. */
export interface LegacyAccount {
  user: LegacyUser | undefined;
  verifiers: LegacyVerifier[];
}

/** Accounts kept per instance; the least recently loaded go first beyond this (a few MB at most). */
const MAX_ACCOUNTS = 10_000;

/**
 * The organisation policy and, per user name, the user and their app-password verifiers, held in
 * memory by one instance so that a legacy client's poll needs no database read
 * (docs/reference.md#caches-across-instances). Everything is dropped whenever the change feed says
 * something may have changed, and a value read while that happened is used once but not kept, so
 * what is kept is never older than the last change the feed has heard of.
 */
export class LegacyCache {
  #policy: OrgPolicy | undefined;
  readonly #accounts = new Map<string, LegacyAccount>();
  readonly #loading = new Map<string, Promise<LegacyAccount>>();
  readonly #feed: ChangeFeed;

  constructor(feed: ChangeFeed) {
    this.#feed = feed;
    feed.onInvalidate(() => this.clear());
  }

  clear(): void {
    this.#policy = undefined;
    this.#accounts.clear();
    this.#loading.clear();
  }

  /** How many user names are held (tests). */
  get size(): number {
    return this.#accounts.size;
  }

  async policy(load: () => Promise<OrgPolicy>): Promise<OrgPolicy> {
    if (this.#policy) return this.#policy;
    const generation = this.#feed.generation;
    const policy = await load();
    if (this.#feed.generation === generation) this.#policy = policy;
    return policy;
  }

  /** `username` must already be normalised: it is the key. Concurrent misses for one name share one load. */
  async account(username: string, load: (username: string) => Promise<LegacyAccount>): Promise<LegacyAccount> {
    const held = this.#accounts.get(username);
    if (held) return held;
    const pending = this.#loading.get(username);
    if (pending) return pending;
    const generation = this.#feed.generation;
    const loading = load(username).then(
      (account) => {
        if (this.#loading.get(username) === loading) this.#loading.delete(username);
        if (this.#feed.generation === generation) {
          if (this.#accounts.size >= MAX_ACCOUNTS) this.#accounts.delete(this.#accounts.keys().next().value!);
          this.#accounts.set(username, account);
        }
        return account;
      },
      (error: unknown) => {
        if (this.#loading.get(username) === loading) this.#loading.delete(username);
        throw error;
      },
    );
    this.#loading.set(username, loading);
    return loading;
  }
}
