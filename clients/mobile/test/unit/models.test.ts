// The generated schema and models in a real WatermelonDB database (LokiJS, in memory).

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { Exercise, SCHEMA_VERSION, schema, SYNC_SCHEMA, Workout, WorkoutSet } from '../../src'
import { newDevice } from '../device'

test('the schema has every synced table, at the server\'s version', () => {
  assert.equal(schema.version, SCHEMA_VERSION)
  assert.deepEqual(Object.keys(schema.tables).sort(), SYNC_SCHEMA.tables.map((t) => t.name).sort())
  assert.deepEqual(Object.keys(schema.tables).sort(), ['custom_exercises', 'exercises', 'insights', 'pain_reports', 'planned_sessions', 'prescriptions', 'programs', 'workout_sets', 'workouts'])
  assert.equal(schema.tables.workout_sets.columns.workout_id.isIndexed, true)
  assert.equal(schema.tables.workouts.columns.ended_at.isOptional, true)
})

test('typed accessors read and write the raw columns; *_json columns also parse', async () => {
  const db = newDevice('models')
  await db.write(async () => {
    const exercise = await db.get<Exercise>('exercises').create((e) => {
      e._raw.id = 'romanian-deadlift'
      e.name = 'Romanian deadlift'
      e.muscles = { primary: ['hamstrings'], secondary: ['glutes'] }
    })
    assert.equal(exercise._getRaw('muscles_json'), '{"primary":["hamstrings"],"secondary":["glutes"]}')
    assert.deepEqual(exercise.muscles, { primary: ['hamstrings'], secondary: ['glutes'] })
    const workout = await db.get<Workout>('workouts').create((w) => {
      w.startedAt = 1772470800000
      w.notes = 'Heavy day'
    })
    const set = await db.get<WorkoutSet>('workout_sets').create((s) => {
      s.workoutId = workout.id
      s.exerciseId = exercise.id
      s.side = 'left'
      s.loadKg = 82.5
      s.reps = 8
      s.rpe = null
    })
    assert.deepEqual([set.loadKg, set.reps, set.side, set.rpe, set.toFailure], [82.5, 8, 'left', null, false])
    assert.equal(set._getRaw('load_kg'), 82.5)
    assert.equal((await set.workout.fetch())?.notes, 'Heavy day')
    assert.equal((await set.exercise.fetch())?.name, 'Romanian deadlift')
    assert.deepEqual((await workout.workoutSets.fetch()).map((s) => s.id), [set.id])
    assert.deepEqual((await exercise.workoutSets.fetch()).map((s) => s.id), [set.id])
  })
})
