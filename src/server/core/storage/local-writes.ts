import {
  AliasNode,
  ColumnNode,
  DeleteQueryNode,
  InsertQueryNode,
  TableNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * The tables whose rows the legacy sign-in caches hold, and the columns an UPDATE must set to matter
 * (the triggers of migration 015 watch the same): an app password's "last used" is not among them.
 */
export const CACHED_COLUMNS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['users', new Set(['username', 'first_name', 'last_name', 'email'])],
  ['app_passwords', new Set(['user_id', 'hash'])],
  ['org_policy', new Set(['policy_json'])],
]);

function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableName(node.node);
  return undefined;
}

/** Whether the statement inserts into, deletes from, or updates a watched column of a cached table. */
export function changesCachedRows(node: RootOperationNode): boolean {
  if (InsertQueryNode.is(node)) return CACHED_COLUMNS.has(tableName(node.into) ?? '');
  if (DeleteQueryNode.is(node)) return node.from.froms.some((f) => CACHED_COLUMNS.has(tableName(f) ?? ''));
  if (UpdateQueryNode.is(node)) {
    const watched = CACHED_COLUMNS.get(tableName(node.table) ?? '');
    if (!watched) return false;
    // An update whose columns cannot be read here counts as a change.
    return (node.updates ?? []).some((u) => !ColumnNode.is(u.column) || watched.has(u.column.column.name));
  }
  return false;
}

/**
 * A Kysely plugin that tells its listeners right after this process wrote to a cached table, so the
 * instance that made a change never answers from what it held before (docs/reference.md#caches-across-instances).
 * It needs no caller to remember anything; other instances hear of the change from the database's
 * counter and PostgreSQL's NOTIFY instead. Raw SQL is not seen here; the counter still catches it.
 */
export class LocalWrites implements KyselyPlugin {
  readonly #pending = new WeakSet<QueryId>();
  readonly #listeners = new Set<() => void>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (changesCachedRows(args.node)) this.#pending.add(args.queryId);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#pending.has(args.queryId)) {
      this.#pending.delete(args.queryId);
      for (const listener of this.#listeners) listener();
    }
    return args.result;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
