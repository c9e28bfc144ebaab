'use strict'
// A real WatermelonDB client (LokiJS adapter, in memory) with the mobile SDK's generated schema,
// syncing with the SDK's sync() (WatermelonDB's own synchronize() underneath) against a running
// Posterior server: POSTERIOR_URL=http://127.0.0.1:8123 npm test
// Contract: docs/design/sync-protocol.md.

const { describe, test } = require('node:test')
const assert = require('node:assert/strict')

const {
  newUser,
  newDevice,
  sync,
  hasUnsyncedChanges,
  dump,
  dumpAll,
  statuses,
  logWorkout,
  updateRecord,
  markDeleted,
  find,
  freshDevice,
  expectHttpError,
  setValues,
  BASE_TIME,
  DAY,
} = require('./lib')
const { TABLE_NAMES, columnsOf } = require('./schema')

const TIMEOUT = 60_000

const ids = (rows) => rows.map((r) => r.id).sort()

/** Asserts a 409 whose problem type ends in `sync-conflict` and that names `conflictingIds`. */
function assertConflict(error, conflictingIds) {
  assert.equal(error.status, 409, error.message)
  assert.ok(error.body && typeof error.body === 'object', `409 body is not JSON: ${error.bodyText}`)
  assert.match(String(error.contentType), /application\/problem\+json/, 'problem details content type')
  assert.match(String(error.body.type), /sync-conflict$/, `problem type: ${error.bodyText}`)
  const text = JSON.stringify(error.body)
  for (const id of conflictingIds) {
    assert.ok(text.includes(id), `409 body should list conflicting id ${id}: ${error.bodyText}`)
  }
}

/** Asserts a 422 problem listing {table, id, field} among `errors`. */
function assertValidationError(error, { table, id, field }) {
  assert.equal(error.status, 422, error.message)
  assert.match(String(error.contentType), /application\/problem\+json/, 'problem details content type')
  assert.ok(Array.isArray(error.body?.errors), `422 body has no errors[]: ${error.bodyText}`)
  const hit = error.body.errors.find((e) => e.table === table && e.id === id && e.field === field)
  assert.ok(hit, `422 errors should list {table: ${table}, id: ${id}, field: ${field}}: ${error.bodyText}`)
  assert.equal(typeof hit.message, 'string')
}

describe('Posterior sync with a real WatermelonDB client', { concurrency: false }, () => {
  test('the first pull delivers every table and the exercise catalog (>= 13 exercises)', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const device = newDevice('A')
    const stats = await sync(device, user.token)

    assert.equal(stats.pulls.length, 1)
    const { changes, timestamp } = stats.pulls[0]
    assert.ok(Number.isInteger(timestamp) && timestamp >= 1)
    assert.deepEqual(Object.keys(changes).filter((t) => TABLE_NAMES.includes(t)).sort(), [...TABLE_NAMES].sort())
    assert.equal(stats.pushes.length, 0, 'nothing to push on a fresh device')

    const exercises = await dump(device, 'exercises')
    assert.ok(exercises.length >= 13, `catalog has ${exercises.length} exercises`)
    const bySlug = Object.fromEntries(exercises.map((e) => [e.id, e]))
    for (const slug of ['romanian-deadlift', 'seated-leg-curl', 'back-squat']) {
      assert.ok(bySlug[slug], `catalog lacks ${slug}`)
    }
    const rdl = bySlug['romanian-deadlift']
    assert.ok(rdl.name.length > 0)
    const muscles = JSON.parse(rdl.muscles_json)
    assert.ok(muscles !== null && typeof muscles === 'object', `muscles_json is JSON text: ${rdl.muscles_json}`)
    assert.equal(typeof rdl.unilateral, 'boolean')
    assert.ok(rdl.rep_min > 0 && rdl.rep_max >= rdl.rep_min, `rep range ${rdl.rep_min}..${rdl.rep_max}`)
    assert.ok(rdl.increment_kg > 0, `increment_kg ${rdl.increment_kg} (a Decimal sent as a string becomes 0)`)

    // A second sync with nothing new changes nothing and the cursor does not go backwards.
    const again = await sync(device, user.token)
    assert.ok(again.pulls[0].timestamp >= timestamp)
    assert.equal((await dump(device, 'exercises')).length, exercises.length)
  })

  test('a workout logged offline on device A reaches device B with every column identical', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    await sync(a, user.token)
    await sync(b, user.token)

    // Offline on A: one workout, three sets of Romanian deadlifts, with nulls and fractions.
    const { workout, sets } = await logWorkout(a, {
      count: 3,
      workout: { notes: 'RDL day — felt strong', program_day_id: null },
      set: (i) => ({
        load_kg: [60, 82.5, 100.25][i],
        reps: [10, 8, 6][i],
        rir: [null, 2, 0][i],
        rpe: [null, 8.5, 10][i],
        eccentric_s: [null, 3, 4.5][i],
        assistance_kg: null,
        to_failure: i === 2,
        is_warmup: i === 0,
      }),
    })
    assert.equal(await hasUnsyncedChanges({ database: a }), true)

    const stats = await sync(a, user.token)
    assert.equal(stats.pushes.length, 1)
    assert.equal(await hasUnsyncedChanges({ database: a }), false)
    assert.deepEqual(Object.values(await statuses(a, 'workout_sets')), ['synced', 'synced', 'synced'])

    await sync(b, user.token)
    const onA = await dumpAll(a, ['workouts', 'workout_sets'])
    const onB = await dumpAll(b, ['workouts', 'workout_sets'])
    assert.deepEqual(onB, onA)
    assert.deepEqual(ids(onB.workouts), [workout.id])
    assert.deepEqual(ids(onB.workout_sets), sets.map((s) => s.id).sort())
    for (const s of onB.workout_sets) {
      assert.equal(s.workout_id, workout.id)
      assert.equal(s.exercise_id, 'romanian-deadlift')
    }
    assert.deepEqual(Object.values(await statuses(b, 'workout_sets')), ['synced', 'synced', 'synced'])

    // A syncing again (it gets its own records echoed back) changes nothing.
    await sync(a, user.token)
    assert.deepEqual(await dumpAll(a, ['workouts', 'workout_sets']), onA)
  })

  test('a custom exercise made offline is logged with catalog lifts and bench press in one push, and a second device sees all of it', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    await sync(a, user.token)
    await sync(b, user.token)

    // Offline on A: the user's own Nordic variation, then RDLs, two sets of it and a bench press.
    let own
    await a.write(async () => {
      own = await a.get('custom_exercises').create((r) => {
        r._setRaw('name', 'Nordic on a lat pulldown seat')
        r._setRaw('pattern', 'knee_flexion')
        r._setRaw('muscles_json', '{"primary":{"hamstrings":1.0},"secondary":{"calves":0.25}}')
        r._setRaw('equipment', 'machine_stack')
        r._setRaw('unilateral', false)
        r._setRaw('load_type', 'bodyweight')
      })
    })
    const lifts = ['romanian-deadlift', own.id, own.id, 'bench-press']
    const { workout } = await logWorkout(a, {
      count: lifts.length,
      set: (i) => ({ exercise_id: lifts[i], load_kg: [100, 0, 0, 80][i] }),
    })

    const stats = await sync(a, user.token)
    assert.equal(stats.pushes.length, 1, 'the exercise and its first sets go in one push')
    assert.equal(await hasUnsyncedChanges({ database: a }), false)

    await sync(b, user.token)
    const tables = ['custom_exercises', 'workouts', 'workout_sets']
    assert.deepEqual(await dumpAll(b, tables), await dumpAll(a, tables))
    const [onB] = await dump(b, 'custom_exercises')
    assert.equal(onB.name, 'Nordic on a lat pulldown seat')
    assert.deepEqual(JSON.parse(onB.muscles_json), { primary: { hamstrings: 1 }, secondary: { calves: 0.25 } })
    const setsOnB = (await dump(b, 'workout_sets')).filter((s) => s.workout_id === workout.id)
    assert.deepEqual(setsOnB.map((s) => s.exercise_id).sort(), [...lifts].sort())
  })

  test('a pain report round-trips from one device to another unchanged', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    await sync(a, user.token)
    await a.write(async () => {
      await a.get('pain_reports').create((r) => {
        r._setRaw('body_part', 'hamstring')
        r._setRaw('side', 'left')
        r._setRaw('severity', 3)
        r._setRaw('reported_at', BASE_TIME + 7200000)
        r._setRaw('note', 'tight after Nordics')
      })
    })
    await sync(a, user.token)
    const { data } = await freshDevice(user.token, 'C', ['pain_reports'])
    assert.deepEqual(data.pain_reports, await dump(a, 'pain_reports'))
    assert.equal(data.pain_reports.length, 1)
  })

  test('updates and deletions propagate in both directions between two devices', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    const { sets } = await logWorkout(a, { count: 3 })
    await sync(a, user.token)
    await sync(b, user.token)
    const [s0, s1, s2] = sets.map((s) => s.id)

    // B -> A: edit reps (and load) of a set on B.
    await updateRecord(b, await b.get('workout_sets').find(s1), { reps: 11, load_kg: 92.5 })
    await sync(b, user.token)
    await sync(a, user.token)
    const s1OnA = await a.get('workout_sets').find(s1)
    assert.equal(s1OnA._raw.reps, 11)
    assert.equal(s1OnA._raw.load_kg, 92.5)

    // A -> B: edit another set on A.
    await updateRecord(a, await a.get('workout_sets').find(s2), { rpe: 9.5, to_failure: true })
    await sync(a, user.token)
    await sync(b, user.token)
    const s2OnB = await b.get('workout_sets').find(s2)
    assert.equal(s2OnB._raw.rpe, 9.5)
    assert.equal(s2OnB._raw.to_failure, true)
    assert.deepEqual(await dumpAll(b), await dumpAll(a))

    // A deletes a set -> gone on B.
    await markDeleted(a, await a.get('workout_sets').find(s0))
    await sync(a, user.token)
    assert.deepEqual(await a.adapter.getDeletedRecords('workout_sets'), [], 'tombstone pushed and purged on A')
    await sync(b, user.token)
    assert.equal(await find(b, 'workout_sets', s0), null, 'B still has the set A deleted')

    // B deletes a set -> gone on A.
    await markDeleted(b, await b.get('workout_sets').find(s1))
    await sync(b, user.token)
    await sync(a, user.token)
    assert.equal(await find(a, 'workout_sets', s1), null, 'A still has the set B deleted')

    const onA = await dumpAll(a)
    assert.deepEqual(ids(onA.workout_sets), [s2])
    assert.deepEqual(await dumpAll(b), onA)
    const { data } = await freshDevice(user.token, 'C')
    assert.deepEqual(data, onA)
  })

  test('a concurrent edit of the same set: the first sync wins, the second gets 409, pulls, pushes again and both devices converge with no set lost', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    const { workout, sets } = await logWorkout(a, { count: 3 })
    await sync(a, user.token)
    await sync(b, user.token)
    const target = sets[1].id
    const allSetIds = sets.map((s) => s.id).sort()

    // Both edit the same set offline, to different values.
    await updateRecord(a, await a.get('workout_sets').find(target), { reps: 5, load_kg: 110 })
    await updateRecord(b, await b.get('workout_sets').find(target), { reps: 9, load_kg: 95 })

    // B starts syncing and pulls; before B pushes, A completes its sync (the first to reach
    // the server wins). WatermelonDB's own onWillApplyRemoteChanges hook runs A's sync there,
    // so B's push carries a last_pulled_at older than A's change: 409.
    // The SDK would retry the 409 by itself (pull, push again); here it must surface, so the
    // test can check the server's side of it and then make the retry explicitly.
    let aSynced = false
    const error = await expectHttpError(
      sync(b, user.token, {
        maxConflictRetries: 0,
        onWillApplyRemoteChanges: async () => {
          await sync(a, user.token)
          aSynced = true
        },
      }),
    )
    assert.ok(aSynced)
    assertConflict(error, [target])
    assert.equal(await hasUnsyncedChanges({ database: b }), true, 'B keeps its edit after a 409')

    // The server holds A's values (first writer) and nothing of B's rejected push.
    const afterConflict = await freshDevice(user.token, 'C1')
    const onServer = afterConflict.data.workout_sets.find((s) => s.id === target)
    assert.equal(onServer.reps, 5)
    assert.equal(onServer.load_kg, 110)
    assert.deepEqual(ids(afterConflict.data.workout_sets), allSetIds)

    // B syncs again: pulls A's change (WatermelonDB resolves per column: B's local edits are
    // kept on top of the server's record) and pushes; then A syncs.
    await sync(b, user.token)
    assert.equal(await hasUnsyncedChanges({ database: b }), false)
    await sync(a, user.token)

    const onA = await dumpAll(a)
    const onB = await dumpAll(b)
    assert.deepEqual(onB, onA, 'devices converge')
    assert.deepEqual(ids(onA.workout_sets), allSetIds, 'no set lost')
    assert.deepEqual(ids(onA.workouts), [workout.id])
    const final = onA.workout_sets.find((s) => s.id === target)
    assert.ok(
      (final.reps === 5 && final.load_kg === 110) || (final.reps === 9 && final.load_kg === 95),
      `the set holds one device's values, not a mix: ${JSON.stringify(final)}`,
    )
    const { data } = await freshDevice(user.token, 'C2')
    assert.deepEqual(data, onA, 'a fresh device sees the converged data')
  })

  test('sequential offline edits of the same set need no 409: the later sync pulls first, then both devices converge', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    const { sets } = await logWorkout(a, { count: 3 })
    await sync(a, user.token)
    await sync(b, user.token)
    const target = sets[0].id

    await updateRecord(a, await a.get('workout_sets').find(target), { reps: 4 })
    await updateRecord(b, await b.get('workout_sets').find(target), { reps: 12 })
    await sync(a, user.token)
    // B's pull already includes A's change, so its push is based on the newest cursor: 200.
    await sync(b, user.token)
    await sync(a, user.token)
    const onA = await dumpAll(a)
    assert.deepEqual(await dumpAll(b), onA)
    assert.equal(onA.workout_sets.length, 3)
    assert.ok([4, 12].includes(onA.workout_sets.find((s) => s.id === target).reps))
  })

  test('a push whose response is lost is retried and the server holds each record exactly once', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    await sync(a, user.token)
    const { workout, sets } = await logWorkout(a, { count: 3 })
    const setIds = sets.map((s) => s.id).sort()

    class LostResponse extends Error {}
    const losePushResponse = (realPush) => async (args) => {
      await realPush(args) // the server applies it...
      throw new LostResponse('connection dropped before the push response arrived') // ...the phone never hears
    }

    await assert.rejects(sync(a, user.token, { wrapPush: losePushResponse }), LostResponse)
    assert.equal(await hasUnsyncedChanges({ database: a }), true)
    assert.deepEqual(Object.values(await statuses(a, 'workout_sets')), ['created', 'created', 'created'])

    // Lose it a second time for good measure, then retry for real (records still 'created').
    await assert.rejects(sync(a, user.token, { wrapPush: losePushResponse }), LostResponse)
    const retry = await sync(a, user.token)
    assert.equal(retry.pushes.length, 1)
    assert.deepEqual(
      retry.pushes[0].changes.workout_sets.created.map((r) => r.id).concat(
        retry.pushes[0].changes.workout_sets.updated.map((r) => r.id),
      ).sort(),
      setIds,
      'the retry resends the same records',
    )
    assert.equal(await hasUnsyncedChanges({ database: a }), false)

    const c = await freshDevice(user.token, 'C')
    assert.equal(c.data.workout_sets.length, 3)
    assert.deepEqual(ids(c.data.workout_sets), setIds)
    assert.deepEqual(ids(c.data.workouts), [workout.id])
    assert.deepEqual(c.data, await dumpAll(a))

    // Same for an update whose response is lost.
    await updateRecord(a, await a.get('workout_sets').find(setIds[0]), { reps: 3 })
    await assert.rejects(sync(a, user.token, { wrapPush: losePushResponse }), LostResponse)
    await sync(a, user.token)
    const c2 = await freshDevice(user.token, 'C2')
    assert.deepEqual(ids(c2.data.workout_sets), setIds)
    assert.equal(c2.data.workout_sets.find((s) => s.id === setIds[0]).reps, 3)
    assert.deepEqual(c2.data, await dumpAll(a))
  })

  for (const [label, bad, field] of [
    ['reps = 500', { reps: 500 }, 'reps'],
    ['an exercise_id that is not in the catalog', { exercise_id: 'not-an-exercise' }, 'exercise_id'],
  ]) {
    test(`one invalid set (${label}) fails the whole push with 422 naming it, and nothing is stored`, { timeout: TIMEOUT }, async () => {
      const user = await newUser()
      const a = newDevice('A')
      await sync(a, user.token)
      const { workout, sets } = await logWorkout(a, { count: 2, set: (i) => (i === 1 ? bad : {}) })
      const [valid, invalid] = sets

      const error = await expectHttpError(sync(a, user.token))
      assertValidationError(error, { table: 'workout_sets', id: invalid.id, field })
      assert.ok(
        !error.body.errors.some((e) => e.id === valid.id),
        `the valid set must not be listed as an error: ${error.bodyText}`,
      )
      assert.equal(await hasUnsyncedChanges({ database: a }), true, 'the rejected records stay unsynced')

      const c = await freshDevice(user.token, 'C')
      assert.deepEqual(c.data.workout_sets, [], 'neither set is stored')
      assert.ok(!c.data.workouts.some((w) => w.id === workout.id), 'the workout of the rejected push is not stored')
    })
  }

  test('two users whose devices use the same record ids never see or change each other\'s data', { timeout: TIMEOUT }, async () => {
    const u1 = await newUser()
    const u2 = await newUser()
    const d1 = newDevice('U1')
    const d2 = newDevice('U2')
    await sync(d1, u1.token)
    await sync(d2, u2.token)
    const workoutId = 'sameid000000001'
    const setIds = ['sameidset0000001', 'sameidset0000002']

    await logWorkout(d1, {
      count: 2, workoutId, setIds,
      workout: { notes: 'user one' },
      set: (i) => ({ exercise_id: 'romanian-deadlift', load_kg: 100 + i, reps: 5 }),
    })
    await sync(d1, u1.token)
    await logWorkout(d2, {
      count: 2, workoutId, setIds,
      workout: { notes: 'user two', started_at: BASE_TIME + DAY },
      set: (i) => ({ exercise_id: 'seated-leg-curl', load_kg: 40 + i, reps: 12 }),
    })
    await sync(d2, u2.token) // same ids, other user: no 409, no overwrite
    await sync(d1, u1.token) // and user one's device learns nothing of user two's push

    const expected1 = await dumpAll(d1)
    const expected2 = await dumpAll(d2)
    assert.equal(expected1.workouts[0].notes, 'user one')
    assert.equal(expected2.workouts[0].notes, 'user two')

    const f1 = await freshDevice(u1.token, 'U1-fresh')
    const f2 = await freshDevice(u2.token, 'U2-fresh')
    assert.deepEqual(f1.data, expected1)
    assert.deepEqual(f2.data, expected2)
    assert.ok(f1.data.workout_sets.every((s) => s.exercise_id === 'romanian-deadlift' && s.reps === 5))
    assert.ok(f2.data.workout_sets.every((s) => s.exercise_id === 'seated-leg-curl' && s.reps === 12))

    // User two deletes the shared id: user one's records stay.
    await markDeleted(d2, await d2.get('workouts').find(workoutId))
    await sync(d2, u2.token)
    await sync(d1, u1.token)
    assert.deepEqual(await dumpAll(d1), expected1)
    const g1 = await freshDevice(u1.token, 'U1-fresh2')
    assert.deepEqual(g1.data, expected1)
    const g2 = await freshDevice(u2.token, 'U2-fresh2')
    assert.deepEqual(g2.data.workouts, [])
    assert.deepEqual(g2.data.workout_sets, [], 'deleting a workout deletes its sets')
  })

  test('2,000 sets pushed in one sync arrive exactly on a fresh device (timings logged)', { timeout: 120_000 }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    await sync(a, user.token)
    const all = []
    for (let w = 0; w < 4; w += 1) {
      const { sets } = await logWorkout(a, {
        count: 500,
        workout: { started_at: BASE_TIME + w * DAY, ended_at: BASE_TIME + w * DAY + 5400000, notes: `block ${w}` },
        set: (i) => ({
          exercise_id: ['romanian-deadlift', 'seated-leg-curl', 'back-squat'][i % 3],
          performed_at: BASE_TIME + w * DAY + 1000 * i,
        }),
      })
      all.push(...sets.map((s) => s.id))
    }
    assert.equal(all.length, 2000)

    const started = performance.now()
    const pushStats = await sync(a, user.token)
    const syncMs = performance.now() - started
    assert.equal(pushStats.pushes.length, 1)
    const pushed = pushStats.pushes[0].changes.workout_sets
    assert.equal(pushed.created.length + pushed.updated.length, 2000)
    assert.equal(await hasUnsyncedChanges({ database: a }), false)

    const pullStarted = performance.now()
    const c = await freshDevice(user.token, 'C')
    const freshSyncMs = performance.now() - pullStarted
    assert.equal(c.data.workout_sets.length, 2000)
    assert.deepEqual(ids(c.data.workout_sets), all.sort())
    assert.equal(c.data.workouts.length, 4)
    assert.deepEqual(c.data, await dumpAll(a))

    const pull = c.stats.pulls[0]
    console.log(
      `[2000-set sync] push HTTP ${pushStats.pushes[0].ms.toFixed(0)} ms ` +
        `(whole synchronize() on A ${syncMs.toFixed(0)} ms); ` +
        `fresh-device pull HTTP ${pull.ms.toFixed(0)} ms, ${(pull.bytes / 1024).toFixed(0)} KiB ` +
        `(whole synchronize() on C incl. applying ${c.data.workout_sets.length} sets ${freshSyncMs.toFixed(0)} ms)`,
    )
  })

  test('a push of more than 5,000 records is refused with 413 and stores nothing', { timeout: 120_000 }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    await sync(a, user.token)
    for (let w = 0; w < 5; w += 1) {
      await logWorkout(a, { count: 1000, workout: { started_at: BASE_TIME + w * DAY } })
    }
    // 5 workouts + 5,000 sets = 5,005 records (well under 4 MiB): over the record limit. The SDK
    // would split the push (clients/mobile/test/server); here the server's refusal must show.
    const error = await expectHttpError(sync(a, user.token, { splitLargePushes: false }))
    assert.equal(error.status, 413, error.message)
    assert.match(String(error.contentType), /application\/problem\+json/, 'problem details content type')
    assert.equal(await hasUnsyncedChanges({ database: a }), true)
    const c = await freshDevice(user.token, 'C')
    assert.deepEqual(c.data.workouts, [])
    assert.deepEqual(c.data.workout_sets, [])
  })

  test('a device whose first sync saw an empty account still learns of deletions made elsewhere (divergence regression)', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const empty = await sync(a, user.token) // the account is empty: A's cursor sits at user version 0
    assert.equal(empty.pulls.length, 1)

    // A logs a workout and syncs: synchronize() pulls (nothing new), then pushes, and does not pull again.
    const { sets } = await logWorkout(a, { count: 3 })
    const logged = await sync(a, user.token)
    assert.equal(logged.pushes.length, 1)
    const [deleted, changed, kept] = sets.map((s) => s.id)

    // Device B: first sync, then deletes one set, changes another, syncs.
    const b = newDevice('B')
    await sync(b, user.token)
    await markDeleted(b, await b.get('workout_sets').find(deleted))
    await updateRecord(b, await b.get('workout_sets').find(changed), { reps: 12, load_kg: 77.5 })
    await sync(b, user.token)

    // A syncs: it receives the change AND the deletion, and both devices hold the same records.
    const back = await sync(a, user.token)
    assert.ok(back.pulls[0].changes.workout_sets.deleted.includes(deleted), 'the pull lists the tombstone')
    assert.equal(await find(a, 'workout_sets', deleted), null, 'A keeps the set B deleted')
    assert.equal((await a.get('workout_sets').find(changed))._raw.reps, 12)
    assert.deepEqual(ids(await dump(a, 'workout_sets')), [changed, kept].sort())
    assert.deepEqual(await dumpAll(a), await dumpAll(b))
  })

  test('a device offline for months learns that a workout and its sets were deleted elsewhere', { timeout: TIMEOUT }, async () => {
    const user = await newUser()
    const a = newDevice('A')
    const b = newDevice('B')
    const { workout, sets } = await logWorkout(a, { count: 3 })
    const { workout: kept } = await logWorkout(a, { count: 2, workout: { started_at: BASE_TIME - 7 * DAY } })
    await sync(a, user.token)
    await sync(b, user.token)
    const cursorOfA = (await sync(a, user.token)).pulls[0].timestamp // A's last contact

    // B deletes only the workout; the server tombstones its sets as well.
    await markDeleted(b, await b.get('workouts').find(workout.id))
    await sync(b, user.token)

    // "Months" of activity on B afterwards (the cursor is not wall-clock: no time travel needed).
    for (let week = 1; week <= 6; week += 1) {
      const { sets: newer } = await logWorkout(b, { count: 2, workout: { started_at: BASE_TIME + week * 7 * DAY } })
      await sync(b, user.token)
      await updateRecord(b, newer[0], { reps: 6 })
      await sync(b, user.token)
    }
    // B itself also lost the sets it never deleted locally (server tombstones).
    for (const s of sets) assert.equal(await find(b, 'workout_sets', s.id), null, `B still has set ${s.id}`)

    // A comes back with its old cursor.
    const back = await sync(a, user.token)
    assert.equal(back.pulls[0].path.includes(`last_pulled_at=${cursorOfA}&`), true, 'A pulls from its old cursor')
    const pulled = back.pulls[0].changes
    assert.ok(pulled.workouts.deleted.includes(workout.id), 'the pull lists the workout tombstone')
    for (const s of sets) assert.ok(pulled.workout_sets.deleted.includes(s.id), `the pull lists the tombstone of set ${s.id}`)

    assert.equal(await find(a, 'workouts', workout.id), null, 'A still has the deleted workout')
    for (const s of sets) assert.equal(await find(a, 'workout_sets', s.id), null, `A still has set ${s.id}`)
    assert.ok(await find(a, 'workouts', kept.id), 'the other workout stays')
    assert.deepEqual(await dumpAll(a), await dumpAll(b))
  })
})

// Columns sanity (cheap, no server): the schema matches the documented table list.
test('the client schema has exactly the documented tables', () => {
  assert.deepEqual([...TABLE_NAMES].sort(), ['custom_exercises', 'exercises', 'insights', 'pain_reports', 'planned_sessions', 'prescriptions', 'programs', 'workout_sets', 'workouts'])
  assert.deepEqual(columnsOf('workout_sets').slice(0, 3), ['workout_id', 'exercise_id', 'set_index'])
  assert.equal(columnsOf('workout_sets').length, 13)
  assert.deepEqual(Object.keys(setValues(0)).sort(), columnsOf('workout_sets').filter((c) => c !== 'workout_id').sort())
})
