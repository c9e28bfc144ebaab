// Splitting a push the server refused as too large (413: over 5,000 records or 4 MiB).
//
// WatermelonDB marks every local change as synced when pushChanges resolves, so one pushChanges
// call must still deliver all of them: it sends them in several POSTs. Each POST is atomic on the
// server and idempotent to resend (a record equal to the stored one is never a conflict), so if a
// later part fails, pushChanges rejects, every change stays unsynced and the next sync resends
// all of them harmlessly. The parts keep the order the server applies inside one push: parents
// (workouts) before their children (workout_sets), and deletions after every upsert.

import type { SyncDatabaseChangeSet } from '@nozbe/watermelondb/sync'

import { SYNC_SCHEMA } from './generated/schema'

type Operation =
  | { table: string; kind: 'created' | 'updated'; record: Record<string, unknown> }
  | { table: string; kind: 'deleted'; id: string }

/** Tables with every table they reference first (the order in which records can be inserted). */
export function parentFirst(tables: readonly string[]): string[] {
  const references = new Map<string, string[]>(
    SYNC_SCHEMA.tables.map((t) => [
      t.name,
      t.columns.flatMap((c) => ('references' in c ? [c.references as string] : [])),
    ]),
  )
  const ordered: string[] = []
  const visit = (table: string, path: Set<string>): void => {
    if (ordered.includes(table) || path.has(table)) return
    path.add(table)
    for (const parent of references.get(table) ?? []) visit(parent, path)
    ordered.push(table)
  }
  for (const table of tables) visit(table, new Set())
  return ordered.filter((t) => tables.includes(t))
}

export function operations(changes: SyncDatabaseChangeSet): Operation[] {
  const tables = parentFirst(Object.keys(changes))
  const upserts = tables.flatMap((table) =>
    (['created', 'updated'] as const).flatMap((kind) =>
      changes[table][kind].map((record): Operation => ({ table, kind, record })),
    ),
  )
  // Children's tombstones before their parents', the reverse of the insert order.
  const deletions = [...tables]
    .reverse()
    .flatMap((table) => changes[table].deleted.map((id): Operation => ({ table, kind: 'deleted', id })))
  return [...upserts, ...deletions]
}

/** The changes object of some operations; every table of the original push is listed. */
export function changesOf(ops: readonly Operation[], tables: readonly string[]): SyncDatabaseChangeSet {
  const changes: SyncDatabaseChangeSet = {}
  for (const table of tables) changes[table] = { created: [], updated: [], deleted: [] }
  for (const op of ops) {
    if (op.kind === 'deleted') changes[op.table].deleted.push(op.id)
    else changes[op.table][op.kind].push(op.record as never)
  }
  return changes
}

export function countRecords(changes: SyncDatabaseChangeSet): number {
  return Object.values(changes).reduce((n, t) => n + t.created.length + t.updated.length + t.deleted.length, 0)
}

/**
 * Sends `changes` with `post`; when `isTooLarge(error)`, halves the operations (in order) and
 * sends each half the same way. A single record that is too large rejects.
 */
export async function pushSplitting(
  changes: SyncDatabaseChangeSet,
  post: (part: SyncDatabaseChangeSet) => Promise<void>,
  isTooLarge: (error: unknown) => boolean,
): Promise<void> {
  const tables = Object.keys(changes)
  const send = async (ops: readonly Operation[]): Promise<void> => {
    try {
      await post(changesOf(ops, tables))
    } catch (error) {
      if (!isTooLarge(error) || ops.length <= 1) throw error
      const middle = Math.ceil(ops.length / 2)
      await send(ops.slice(0, middle))
      await send(ops.slice(middle))
    }
  }
  await send(operations(changes))
}
