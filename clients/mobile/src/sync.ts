// sync(): WatermelonDB's own synchronize() with Posterior's pull and push
// (docs/design/sync-protocol.md), plus what one synchronize() call does not do by itself:
// paging, retrying a conflict, and splitting a push the server refuses as too large.

import type { Database } from '@nozbe/watermelondb'
import {
  synchronize,
  type SyncArgs,
  type SyncConflictResolver,
  type SyncDatabaseChangeSet,
  type SyncLog,
  type SyncPullArgs,
  type SyncPullResult,
  type SyncPushArgs,
  type SyncPushResult,
} from '@nozbe/watermelondb/sync'

import { ConflictProblem, PayloadTooLargeProblem } from './errors'
import { countRecords, pushSplitting } from './push'
import { type ConnectionOptions, Transport } from './transport'

export type PushChanges = (args: SyncPushArgs) => Promise<SyncPushResult | undefined | void>

/** One pull page, as the server answered it. */
export interface PulledPage {
  url: string
  ms: number
  /** Characters of the (decompressed) body. */
  chars: number
  timestamp: number
  hasMore: boolean
  changes: SyncDatabaseChangeSet
}

/** One POST of a push (a push split because of its size makes several). */
export interface PushedPart {
  url: string
  ms: number
  records: number
  changes: SyncDatabaseChangeSet
  /** The server's summary (counts applied). */
  body: unknown
}

export interface SyncOptions extends ConnectionOptions {
  auth: NonNullable<ConnectionOptions['auth']>
  /** Records per pull page (default 2,000; the server allows up to 10,000). */
  pageSize?: number
  /** How often a push refused with a sync conflict (409) is retried with a new pull first (default 3). */
  maxConflictRetries?: number
  /** Split a push refused as too large (413) into smaller ones (default true). */
  splitLargePushes?: boolean
  /** WatermelonDB's hook between pulling a page and applying it. */
  onWillApplyRemoteChanges?: SyncArgs['onWillApplyRemoteChanges']
  /** WatermelonDB's per-record merge of a pulled record into a locally changed one. */
  conflictResolver?: SyncConflictResolver
  /** Decorates the push WatermelonDB calls (e.g. to observe or to delay it). */
  wrapPushChanges?: (push: PushChanges) => PushChanges
  /** Called after each pull page, before it is applied. */
  onPull?: (page: PulledPage) => void
  /** Called after each accepted POST of a push. */
  onPush?: (part: PushedPart) => void
}

export interface SyncReport {
  /** Pull pages applied, each committed locally on its own. */
  pages: number
  /** POSTs of pushes accepted. */
  pushes: number
  /** Conflicts (409) resolved by pulling and pushing again. */
  conflictRetries: number
  /** WatermelonDB's log of each synchronize() call made. */
  logs: SyncLog[]
}

export const DEFAULT_PAGE_SIZE = 2000
// The schema version before the first one a migration sync can start from: every released app
// was at least at version 1 when it first synced.
const MIGRATIONS_ENABLED_AT_VERSION = 1

/** What a pushChanges throws to end a synchronize() whose pull has more pages: its push waits for the last one. */
class MorePages extends Error {}

// WatermelonDB refuses two synchronize() calls on one database at a time; sync() queues them.
const running = new WeakMap<Database, Promise<unknown>>()

/**
 * Syncs `database` with the server: pulls every page (each committed locally, so an interrupted
 * first sync resumes where it stopped), then pushes the local changes. Rejects with a
 * PosteriorProblem (see errors.ts) or a network error; local changes then stay unsynced.
 */
export async function sync(database: Database, options: SyncOptions): Promise<SyncReport> {
  const previous = running.get(database) ?? Promise.resolve()
  const current = previous.catch(() => undefined).then(() => syncNow(database, options))
  running.set(database, current)
  try {
    return await current
  } finally {
    if (running.get(database) === current) running.delete(database)
  }
}

async function syncNow(database: Database, options: SyncOptions): Promise<SyncReport> {
  if (!database.adapter.migrations) {
    // Without migrations WatermelonDB cannot tell the server which columns an upgrade added.
    throw new Error('Create the database adapter with the SDK\'s `migrations` (and `schema`): see docs/mobile.md')
  }
  const transport = new Transport(options)
  const report: SyncReport = { pages: 0, pushes: 0, conflictRetries: 0, logs: [] }
  const maxConflictRetries = options.maxConflictRetries ?? 3
  const realPush = pushChanges(transport, database.schema.version, options, report)
  const push = options.wrapPushChanges ? options.wrapPushChanges(realPush) : realPush
  let lastTimestamp: number | null = null
  for (;;) {
    const page = { hasMore: false, timestamp: 0 }
    const log: SyncLog = {}
    report.logs.push(log)
    try {
      await synchronize({
        database,
        pullChanges: pullChanges(transport, options, page, report),
        pushChanges: async (args) => {
          if (page.hasMore) throw new MorePages()
          return push(args)
        },
        migrationsEnabledAtVersion: MIGRATIONS_ENABLED_AT_VERSION,
        onWillApplyRemoteChanges: options.onWillApplyRemoteChanges,
        conflictResolver: options.conflictResolver,
        log,
      })
    } catch (error) {
      const conflict = error instanceof ConflictProblem && error.isSyncConflict
      if (conflict && report.conflictRetries < maxConflictRetries) {
        report.conflictRetries += 1
        continue
      }
      if (!(error instanceof MorePages)) throw error
    }
    if (!page.hasMore) return report
    if (page.timestamp === lastTimestamp) {
      // A server that says "more" without moving its cursor would keep this loop going forever.
      throw new Error(`pull answered has_more without advancing its timestamp (${page.timestamp})`)
    }
    lastTimestamp = page.timestamp
  }
}

function pullChanges(
  transport: Transport,
  options: SyncOptions,
  page: { hasMore: boolean; timestamp: number },
  report: SyncReport,
): (args: SyncPullArgs) => Promise<SyncPullResult> {
  return async ({ lastPulledAt, schemaVersion, migration }) => {
    const path =
      `/v1/sync/pull?last_pulled_at=${lastPulledAt ?? 'null'}&schema_version=${schemaVersion}` +
      `&migration=${encodeURIComponent(JSON.stringify(migration ?? null))}` +
      `&limit=${options.pageSize ?? DEFAULT_PAGE_SIZE}`
    const started = Date.now()
    const { body, chars } = await transport.json<{
      changes: SyncDatabaseChangeSet
      timestamp: number
      has_more?: boolean
    }>('GET', path)
    page.hasMore = body.has_more === true
    page.timestamp = body.timestamp
    report.pages += 1
    options.onPull?.({
      url: transport.url(path),
      ms: Date.now() - started,
      chars,
      timestamp: body.timestamp,
      hasMore: page.hasMore,
      changes: body.changes,
    })
    return { changes: body.changes, timestamp: body.timestamp }
  }
}

function pushChanges(
  transport: Transport,
  schemaVersion: number,
  options: SyncOptions,
  report: SyncReport,
): PushChanges {
  const split = options.splitLargePushes ?? true
  return async ({ changes, lastPulledAt }) => {
    const path = `/v1/sync/push?last_pulled_at=${lastPulledAt}&schema_version=${schemaVersion}`
    const post = async (part: SyncDatabaseChangeSet): Promise<void> => {
      const started = Date.now()
      const { body } = await transport.json<unknown>('POST', path, { changes: part })
      report.pushes += 1
      options.onPush?.({ url: transport.url(path), ms: Date.now() - started, records: countRecords(part), changes: part, body })
    }
    await pushSplitting(changes, post, (error) => split && error instanceof PayloadTooLargeProblem)
    // Nothing for WatermelonDB: pushes are all-or-nothing, so every record was applied.
  }
}
