// Helpers for the tests against a running Posterior server (env POSTERIOR_URL, and
// POSTERIOR_MAIL_DIR where it writes account mail): users made through the typed REST client,
// workouts logged through the generated models.

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

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

/**
 * Signs up a fresh user as the app does: registers, then posts the token of the link mailed to it,
 * which signs it in (an account signs in only once verified). Returns the token store the app keeps.
 */
export async function newUser(): Promise<MemoryTokenStore> {
  const api = createApiClient({ baseUrl: baseUrl() })
  const email = `sdk-${Date.now().toString(36)}-${crypto.randomBytes(6).toString('hex')}@example.com`
  await unwrap(api.POST('/v1/auth/register', { body: { email, password: PASSWORD } }))
  const token = await mailedToken(email)
  const tokens = await unwrap(api.POST('/v1/auth/verify-email', { body: { token } }))
  return new MemoryTokenStore(tokens.access_token, tokens.refresh_token)
}

/**
 * The token of the verification link mailed to `email`. The test server runs without SMTP_URL, so
 * it writes each message as an .eml file into POSTERIOR_MAIL_DIR (its var/mail/), renamed into
 * place whole; the body is quoted-printable, whose soft line breaks may split the link.
 */
async function mailedToken(email: string): Promise<string> {
  const dir = process.env.POSTERIOR_MAIL_DIR
  if (!dir) throw new Error("POSTERIOR_MAIL_DIR is not set (the server's var/mail/, where it writes account mail)")
  const deadline = Date.now() + 30000
  for (;;) {
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.eml')) : []
    for (const name of names) {
      const raw = fs.readFileSync(path.join(dir, name), 'utf8')
      if (raw.match(/^To: (.*)$/m)?.[1].trim() !== email) continue
      const body = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
      const found = body.match(/\/verify-email\?token=([A-Za-z0-9_-]+)/)
      if (found) return found[1]
    }
    if (Date.now() > deadline) throw new Error(`no verification mail reached ${email} in ${dir} within 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
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
