// Helpers for the tests against a running Posterior server (env POSTERIOR_URL): users made
// through the typed REST client, workouts logged through the generated models.

import crypto from 'node:crypto'

import type { Database } from '@nozbe/watermelondb'

import {
  createApiClient,
  MemoryTokenStore,
  SYNC_SCHEMA,
  sync,
  type SyncOptions,
  type SyncReport,
  unwrap,
  type Workout,
  type WorkoutSet,
} from '../../src'

export const PASSWORD = 'correct-horse-battery-9'
export const BASE_TIME = Date.UTC(2026, 2, 2, 17, 0, 0)
export const DAY = 24 * 3600 * 1000

export function baseUrl(): string {
  const url = process.env.POSTERIOR_URL
  if (!url) throw new Error('POSTERIOR_URL is not set (the server tests need a running server)')
  return url
}

/** Registers and logs in a fresh user; returns the token store the app would keep. */
export async function newUser(): Promise<MemoryTokenStore> {
  const api = createApiClient({ baseUrl: baseUrl() })
  const email = `sdk-${Date.now().toString(36)}-${crypto.randomBytes(6).toString('hex')}@example.com`
  await unwrap(api.POST('/v1/auth/register', { body: { email, password: PASSWORD } }))
  const tokens = await unwrap(api.POST('/v1/auth/login', { body: { email, password: PASSWORD } }))
  return new MemoryTokenStore(tokens.access_token, tokens.refresh_token)
}

/** sync() against the test server, with its pulled pages and pushed parts collected. */
export async function syncDevice(
  database: Database,
  auth: MemoryTokenStore,
  options: Partial<SyncOptions> = {},
): Promise<SyncReport & { pulled: { url: string; hasMore: boolean; timestamp: number }[]; pushed: number[] }> {
  const pulled: { url: string; hasMore: boolean; timestamp: number }[] = []
  const pushed: number[] = []
  const report = await sync(database, {
    baseUrl: baseUrl(),
    auth,
    onPull: ({ url, hasMore, timestamp }) => pulled.push({ url, hasMore, timestamp }),
    onPush: ({ records }) => pushed.push(records),
    ...options,
  })
  return { ...report, pulled, pushed }
}

/** Logs `workouts` workouts of `sets` sets each, offline, through the generated models. */
export async function logWorkouts(database: Database, workouts: number, sets: number): Promise<string[]> {
  const setIds: string[] = []
  await database.write(async () => {
    const records = []
    for (let w = 0; w < workouts; w += 1) {
      const workout = database.get<Workout>('workouts').prepareCreate((r) => {
        r.startedAt = BASE_TIME + w * DAY
        r.endedAt = BASE_TIME + w * DAY + 3600000
        r.notes = `block ${w}`
      })
      records.push(workout)
      for (let i = 0; i < sets; i += 1) {
        const set = database.get<WorkoutSet>('workout_sets').prepareCreate((r) => {
          r.workoutId = workout.id
          r.exerciseId = ['romanian-deadlift', 'seated-leg-curl', 'back-squat'][i % 3]
          r.setIndex = i
          r.side = 'both'
          r.loadKg = 80 + 2.5 * (i % 8)
          r.reps = 8 - (i % 3)
          r.toFailure = false
          r.isWarmup = i === 0
          r.performedAt = BASE_TIME + w * DAY + 1000 * i
        })
        setIds.push(set.id)
        records.push(set)
      }
    }
    await database.batch(...records)
  })
  return setIds
}

/** Every record of `table` as its wire columns, sorted by id. */
export async function dump(database: Database, table: string): Promise<Record<string, unknown>[]> {
  const columns = SYNC_SCHEMA.tables.find((t) => t.name === table)?.columns.map((c) => c.name) ?? []
  const records = await database.get(table).query().fetch()
  return records
    .map((r) => Object.fromEntries([['id', r.id], ...columns.map((c) => [c, r._getRaw(c)])]))
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1)) // code-unit order, like Array.prototype.sort
}
