import type { FastifyInstance } from 'fastify';
import type { PhoneDelivery, PhoneKind } from '../../../shared/api/common.ts';
import type { MethodKind, OrgPolicy } from '../../../shared/policy.ts';
import type { AuthMode } from '../audit/verification-log.ts';
import type { ServerContext } from '../context.ts';
import type { MethodRow } from './method-store.ts';

/** `owner`: the user managing their security info; `challenge`: a sign-in prompt, where details are masked. */
export type DetailAudience = 'owner' | 'challenge';

/** What a method is recognised by beside its name (a phone's number, say). */
export interface MethodDetail {
  detail: string | null;
  phoneKind?: PhoneKind;
  /** For phones: how a code may reach it under the policy. */
  deliveries?: PhoneDelivery[];
}

/** What of a kind the policy's finer options let a user add, beyond the kind being on. */
export interface AddOptions {
  /** False when the finer options leave nothing of the kind to add (every phone kind off). */
  allowed: boolean;
  phones?: Array<{ phoneKind: PhoneKind; deliveries: PhoneDelivery[] }>;
}

/** The verification-log fields a kind fills in for a change of one of its methods (docs/reference.md#verification-log). */
export interface LogFacts {
  phone?: string | null;
  deviceToken?: string | null;
}

/**
 * One kind of verification method, as the rest of the server sees it. Each kind
 * lives in `server/methods/<kind>/` and exports one such object; `buildApp` is
 * handed the list, so nothing outside the kind's folder names the kind.
 */
export interface MethodKindModule {
  readonly kind: MethodKind;
  /** How the verification log names a proof with this kind, unless a change says otherwise. */
  readonly authMode: AuthMode;
  /** How many of this kind one user may have under the policy. */
  limit(policy: OrgPolicy): number;
  /**
   * Kinds naming the same group share one limit: a user's methods of all of them count
   * against it (authenticator apps and hardware tokens, 5 together in the reference product).
   * Absent: the kind is counted alone.
   */
  readonly limitGroup?: string;
  /** The detail each method shows beside its name; methods of this kind only, in one query. */
  describe?(ctx: ServerContext, methods: MethodRow[], audience: DetailAudience, policy: OrgPolicy): Promise<Map<string, MethodDetail>>;
  /**
   * The ids among `methods` (all of this kind) that the policy's finer options
   * turn off while the kind itself is on, e.g. a phone none of whose deliveries
   * is allowed. Absent: a method is usable whenever its kind is on.
   */
  turnedOff?(ctx: ServerContext, methods: MethodRow[], policy: OrgPolicy): Promise<Set<string>>;
  /** What may be added under the policy's finer options; absent: anything of the kind. */
  addOptions?(policy: OrgPolicy): AddOptions;
  /** Log fields for a rename, delete or default change of one method; asked before a delete removes its rows. */
  logFacts?(ctx: ServerContext, methodId: string): Promise<LogFacts>;
  /** Deletes the kind's expired set-ups and challenges. */
  sweepExpired?(ctx: ServerContext, now: number): Promise<void>;
  /** Mounts the kind's own endpoints (set-up, verification). */
  routes(app: FastifyInstance): void;
  /** Mounts the kind's endpoints of the admin area (each declares an admin guard). */
  adminRoutes?(app: FastifyInstance): void;
}

/** The kinds this server was built with; read by every generic list, limit and log. */
export class MethodKinds {
  private readonly byKind: ReadonlyMap<MethodKind, MethodKindModule>;

  constructor(readonly modules: readonly MethodKindModule[]) {
    this.byKind = new Map(modules.map((m) => [m.kind, m]));
    if (this.byKind.size !== modules.length) throw new Error('Each method kind may be registered once');
  }

  get(kind: MethodKind): MethodKindModule | undefined {
    return this.byKind.get(kind);
  }

  /** The kinds whose methods count against `kind`'s limit: itself, and those of its limit group. */
  countedWith(kind: MethodKind): MethodKind[] {
    const group = this.byKind.get(kind)?.limitGroup;
    if (!group) return [kind];
    return this.modules.filter((m) => m.limitGroup === group).map((m) => m.kind);
  }

  /** A kind this server does not know is never usable: its limit is 0. */
  limit(kind: MethodKind, policy: OrgPolicy): number {
    return this.byKind.get(kind)?.limit(policy) ?? 0;
  }
}
