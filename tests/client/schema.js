'use strict'
// WatermelonDB schema v1 of the Posterior mobile app, exactly the tables and columns of
// docs/design/sync-protocol.md ("Tables"). `id` is implicit in WatermelonDB; `_status` and
// `_changed` are WatermelonDB's own bookkeeping columns.
//
// Plain JavaScript has no decorators, so each Model gets its fields as accessors defined
// with the same semantics as WatermelonDB's @field/@json decorators: read with
// `this._getRaw(column)`, write with `this._setRaw(column, value)` (only inside a writer,
// e.g. `record.update(r => { r.reps = 8 })`).

const { appSchema, tableSchema } = require('@nozbe/watermelondb')
const { Model } = require('@nozbe/watermelondb')

const SCHEMA_VERSION = 1

// Column definitions: [name, type, isOptional]. Types are WatermelonDB's: string | number | boolean.
const TABLES = {
  workouts: [
    ['started_at', 'number', false],
    ['ended_at', 'number', true],
    ['program_day_id', 'string', true],
    ['notes', 'string', true],
  ],
  workout_sets: [
    ['workout_id', 'string', false, true],
    ['exercise_id', 'string', false],
    ['set_index', 'number', false],
    ['side', 'string', false],
    ['load_kg', 'number', false],
    ['reps', 'number', false],
    ['rir', 'number', true],
    ['rpe', 'number', true],
    ['eccentric_s', 'number', true],
    ['assistance_kg', 'number', true],
    ['to_failure', 'boolean', false],
    ['is_warmup', 'boolean', false],
    ['performed_at', 'number', false],
  ],
  pain_reports: [
    ['body_part', 'string', false],
    ['side', 'string', false],
    ['severity', 'number', false],
    ['reported_at', 'number', false],
    ['note', 'string', true],
  ],
  insights: [
    ['kind', 'string', false],
    ['subject', 'string', true],
    ['severity', 'string', false],
    ['status', 'string', false],
    ['title', 'string', false],
    ['explanation', 'string', true],
    ['evidence_json', 'string', true],
    ['recommendation_json', 'string', true],
    ['rule_id', 'string', false],
    ['week_start', 'number', true],
    ['created_at', 'number', false],
    ['updated_at', 'number', false],
  ],
  prescriptions: [
    ['program_day_id', 'string', false],
    ['slot_index', 'number', false],
    ['exercise_id', 'string', false],
    ['sets', 'number', false],
    ['rep_min', 'number', false],
    ['rep_max', 'number', false],
    ['load_kg', 'number', true],
    ['eccentric_s', 'number', true],
    ['assistance_kg', 'number', true],
    ['note', 'string', true],
    ['reason_json', 'string', true],
    ['valid_from', 'number', false],
  ],
  exercises: [
    ['name', 'string', false],
    ['pattern', 'string', false],
    ['muscles_json', 'string', false],
    ['equipment', 'string', true],
    ['unilateral', 'boolean', false],
    ['rep_min', 'number', false],
    ['rep_max', 'number', false],
    ['increment_kg', 'number', false],
    ['cues_json', 'string', true],
  ],
}

const TABLE_NAMES = Object.keys(TABLES)

// Device-written tables (pushed by the phone); the others are server-owned.
const DEVICE_TABLES = ['workouts', 'workout_sets', 'pain_reports']

const schema = appSchema({
  version: SCHEMA_VERSION,
  tables: TABLE_NAMES.map((name) =>
    tableSchema({
      name,
      columns: TABLES[name].map(([colName, type, isOptional, isIndexed]) => ({
        name: colName,
        type,
        ...(isOptional ? { isOptional: true } : {}),
        ...(isIndexed ? { isIndexed: true } : {}),
      })),
    }),
  ),
})

/** Column names of a table (without `id`). */
function columnsOf(table) {
  return TABLES[table].map(([name]) => name)
}

/** snake_case -> camelCase (`load_kg` -> `loadKg`). */
function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
}

// Defines one accessor per column, like @field (and like @json for `*_json` columns, whose
// parsed value is exposed as `<camel>` minus the `Json` suffix, e.g. `muscles`).
function defineFields(ModelClass, table) {
  for (const [col, type] of TABLES[table]) {
    Object.defineProperty(ModelClass.prototype, camel(col), {
      configurable: true,
      enumerable: true,
      get() {
        return this._getRaw(col)
      },
      set(value) {
        this._setRaw(col, value)
      },
    })
    if (type === 'string' && col.endsWith('_json')) {
      Object.defineProperty(ModelClass.prototype, camel(col.slice(0, -'_json'.length)), {
        configurable: true,
        enumerable: true,
        get() {
          const raw = this._getRaw(col)
          return raw == null || raw === '' ? null : JSON.parse(raw)
        },
        set(value) {
          this._setRaw(col, value == null ? null : JSON.stringify(value))
        },
      })
    }
  }
  return ModelClass
}

class Workout extends Model {
  static table = 'workouts'
  static associations = { workout_sets: { type: 'has_many', foreignKey: 'workout_id' } }
}

class WorkoutSet extends Model {
  static table = 'workout_sets'
  static associations = { workouts: { type: 'belongs_to', key: 'workout_id' } }
}

class PainReport extends Model {
  static table = 'pain_reports'
}

class Insight extends Model {
  static table = 'insights'
}

class Prescription extends Model {
  static table = 'prescriptions'
  static associations = { exercises: { type: 'belongs_to', key: 'exercise_id' } }
}

class Exercise extends Model {
  static table = 'exercises'
}

const modelClasses = [
  defineFields(Workout, 'workouts'),
  defineFields(WorkoutSet, 'workout_sets'),
  defineFields(PainReport, 'pain_reports'),
  defineFields(Insight, 'insights'),
  defineFields(Prescription, 'prescriptions'),
  defineFields(Exercise, 'exercises'),
]

module.exports = {
  SCHEMA_VERSION,
  TABLES,
  TABLE_NAMES,
  DEVICE_TABLES,
  schema,
  modelClasses,
  columnsOf,
  camel,
  Workout,
  WorkoutSet,
  PainReport,
  Insight,
  Prescription,
  Exercise,
}
