// sync() against a real running server (POSTERIOR_URL): paging, token refresh, split pushes,
// conflict retries and typed problems. Nothing here stands in for the server.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { appSchema, tableSchema } from '@nozbe/watermelondb'
import { schemaMigrations } from '@nozbe/watermelondb/Schema/migrations'
import { hasUnsyncedChanges } from '@nozbe/watermelondb/sync'

import {
  createApiClient,
  MemoryTokenStore,
  migrations,
  NotFoundProblem,
  SCHEMA_VERSION,
  schema,
  UnauthorizedProblem,
  UnsupportedSchemaVersionProblem,
  unwrap,
  ValidationProblem,
  type WorkoutSet,
} from '../../src'
import { newDevice } from '../device'
import { baseUrl, dump, logWorkouts, newUser, syncDevice } from './helpers'

const TIMEOUT = 120_000

describe('sync() against the server', { concurrency: false }, () => {
  test('a first sync larger than a page arrives in pages, each committed, and resumes where it stopped', { timeout: TIMEOUT }, async () => {
    const auth = await newUser()
    const phone = newDevice('phone')
    const setIds = await logWorkouts(phone, 3, 80) // 243 records, plus the catalog
    await syncDevice(phone, auth)

    // A new phone pulls 100 records a page; its first sync is interrupted after the first page.
    const fresh = newDevice('fresh')
    let pagesApplied = 0
    const interrupted = new Error('connection lost after the first page')
    await assert.rejects(
      syncDevice(fresh, auth, {
        pageSize: 100,
        onWillApplyRemoteChanges: async () => {
          if (pagesApplied === 1) throw interrupted
          pagesApplied += 1
        },
      }),
      interrupted,
    )
    const afterOnePage = (await dump(fresh, 'workout_sets')).length + (await dump(fresh, 'exercises')).length
    assert.ok(afterOnePage > 0 && afterOnePage <= 100, `the first page was kept (${afterOnePage} records)`)

    const resumed = await syncDevice(fresh, auth, { pageSize: 100 })
    assert.ok(resumed.pulled.length >= 2, `pages: ${JSON.stringify(resumed.pulled)}`)
    assert.doesNotMatch(resumed.pulled[0].url, /last_pulled_at=null/, 'the resumed sync starts after the page it kept')
    assert.deepEqual(
      resumed.pulled.map((p) => p.hasMore),
      [...resumed.pulled.slice(1).map(() => true), false],
      'has_more until the last page',
    )
    for (const page of resumed.pulled) assert.match(page.url, /&limit=100$/)
    assert.deepEqual((await dump(fresh, 'workout_sets')).map((s) => s.id), [...setIds].sort())
    assert.deepEqual(await dump(fresh, 'workout_sets'), await dump(phone, 'workout_sets'))
    assert.deepEqual(await dump(fresh, 'workouts'), await dump(phone, 'workouts'))
  })

  test('an expired access token is refreshed once and the sync goes on; the new pair is stored', { timeout: TIMEOUT }, async () => {
    const auth = await newUser()
    const stale = new MemoryTokenStore('not-a-valid-access-token', auth.refreshToken)
    const phone = newDevice('phone')
    await logWorkouts(phone, 1, 3)
    await syncDevice(phone, stale)
    assert.equal(await hasUnsyncedChanges({ database: phone }), false)
    assert.notEqual(stale.accessToken, 'not-a-valid-access-token')
    assert.notEqual(stale.refreshToken, auth.refreshToken, 'refresh tokens rotate')

    // The spent refresh token is refused: the login is over, and the app learns it by type.
    const spent = new MemoryTokenStore('not-a-valid-access-token', auth.refreshToken)
    await assert.rejects(syncDevice(newDevice('other'), spent), UnauthorizedProblem)
  })

  test('a push of 6,000 records, over the server\'s 5,000, is split and every record arrives once', { timeout: 300_000 }, async () => {
    const auth = await newUser()
    const phone = newDevice('phone')
    const setIds = await logWorkouts(phone, 6, 999) // 6 workouts + 5,994 sets
    const report = await syncDevice(phone, auth)
    assert.ok(report.pushed.length >= 2, `pushed parts: ${report.pushed}`)
    assert.equal(report.pushed.reduce((a, b) => a + b, 0), 6000)
    assert.ok(report.pushed.every((n) => n <= 5000))
    assert.equal(await hasUnsyncedChanges({ database: phone }), false)

    const fresh = newDevice('fresh')
    await syncDevice(fresh, auth, { pageSize: 5000 })
    assert.deepEqual((await dump(fresh, 'workout_sets')).map((s) => s.id), [...setIds].sort())
    assert.deepEqual(await dump(fresh, 'workouts'), await dump(phone, 'workouts'))
  })

  test('a sync conflict is retried: the later device pulls the other edit, pushes again and both converge', { timeout: TIMEOUT }, async () => {
    const auth = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    const [target] = await logWorkouts(a, 1, 2)
    await syncDevice(a, auth)
    await syncDevice(b, auth)
    const edit = async (device: typeof a, reps: number) =>
      device.write(async () => {
        const set = await device.get<WorkoutSet>('workout_sets').find(target)
        await set.update((s) => {
          s.reps = reps
        })
      })
    await edit(a, 5)
    await edit(b, 9)

    // A completes its sync between B's pull and B's push: B's push is a 409, retried by sync().
    let interleaved = false
    const report = await syncDevice(b, auth, {
      onWillApplyRemoteChanges: async () => {
        if (interleaved) return
        interleaved = true
        await syncDevice(a, auth)
      },
    })
    assert.equal(report.conflictRetries, 1)
    assert.equal(await hasUnsyncedChanges({ database: b }), false)
    await syncDevice(a, auth)
    assert.deepEqual(await dump(a, 'workout_sets'), await dump(b, 'workout_sets'))
  })

  test('an invalid set is a ValidationProblem naming the record; nothing is marked synced', { timeout: TIMEOUT }, async () => {
    const auth = await newUser()
    const phone = newDevice('phone')
    const [bad] = await logWorkouts(phone, 1, 2)
    await phone.write(async () => {
      const set = await phone.get<WorkoutSet>('workout_sets').find(bad)
      await set.update((s) => {
        s.reps = 500
      })
    })
    const error = await syncDevice(phone, auth).then(
      () => assert.fail('the push should be refused'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof ValidationProblem, String(error))
    assert.equal(error.status, 422)
    assert.ok(error.errors.some((e) => e.table === 'workout_sets' && e.id === bad && e.field === 'reps'), error.bodyText)
    assert.equal(await hasUnsyncedChanges({ database: phone }), true)
  })

  test('a schema version the server does not speak is an UnsupportedSchemaVersionProblem: update the app', { timeout: TIMEOUT }, async () => {
    const auth = await newUser()
    const tables = Object.values(schema.tables).map((t) => tableSchema({ name: t.name, columns: t.columnArray }))
    // An app one version ahead of the server (the SDK's version is the newest the server speaks).
    const ahead = SCHEMA_VERSION + 1
    const future = newDevice('future', {
      schema: appSchema({ version: ahead, tables }),
      migrations: schemaMigrations({
        migrations: [...migrations.sortedMigrations, { toVersion: ahead, steps: [] }],
      }),
    })
    const error = await syncDevice(future, auth).then(
      () => assert.fail(`the server should refuse schema version ${ahead}`),
      (e: unknown) => e,
    )
    assert.ok(error instanceof UnsupportedSchemaVersionProblem, String(error))
    assert.equal(error.kind, 'unsupportedSchemaVersion')
    assert.equal(error.maxSchemaVersion, SCHEMA_VERSION, error.bodyText)
    assert.ok((error.minSchemaVersion ?? 0) >= 1, error.bodyText)
  })

  test('the REST client is typed from the contract and shares the refresh', { timeout: TIMEOUT }, async () => {
    const auth = await newUser()
    const api = createApiClient({ baseUrl: baseUrl(), auth })
    const catalog = await unwrap(api.GET('/v1/exercises'))
    assert.ok(catalog.items.some((e) => e.id === 'romanian-deadlift'))
    await assert.rejects(unwrap(api.GET('/v1/exercises/{exercise_id}', { params: { path: { exercise_id: 'no-such-lift' } } })), NotFoundProblem)

    auth.accessToken = 'expired'
    const me = await unwrap(api.GET('/v1/me'))
    assert.match(me.email, /@example\.com$/)
    assert.notEqual(auth.accessToken, 'expired')
  })
})
