// What the generated models' accessors share: the same semantics as WatermelonDB's @json,
// @relation and @children decorators, written as functions so that no decorator support (Babel
// plugin, TypeScript experimentalDecorators) is needed in the app.

import { Q, type Model, type Query, Relation } from '@nozbe/watermelondb'

/** A parsed JSON value (`*_json` columns hold JSON text). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export function readJson(record: Model, column: string): Json | null {
  const raw = record._getRaw(column)
  return typeof raw === 'string' && raw !== '' ? (JSON.parse(raw) as Json) : null
}

export function writeJson(record: Model, column: string, value: Json | null): void {
  record._setRaw(column, value === null ? null : JSON.stringify(value))
}

// One Relation per record and column, as @relation caches it: a Relation keeps an observable
// that screens subscribe to, and a fresh one per property read would resubscribe every render.
const relations = new WeakMap<Model, Map<string, Relation<Model>>>()

export function relationOf<T extends Model>(record: Model, table: string, column: string): Relation<T> {
  let cache = relations.get(record)
  if (cache === undefined) {
    cache = new Map()
    relations.set(record, cache)
  }
  let relation = cache.get(column)
  if (relation === undefined) {
    relation = new Relation<Model>(record, table, column, { isImmutable: false })
    cache.set(column, relation)
  }
  return relation as unknown as Relation<T>
}

export function childrenOf<T extends Model>(record: Model, table: string, foreignKey: string): Query<T> {
  return record.collections.get<T>(table).query(Q.where(foreignKey, record.id))
}
