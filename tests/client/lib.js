'use strict'
// Helpers for the real-client suite: HTTP against a running Posterior server (env
// POSTERIOR_URL), in-memory WatermelonDB "devices" (LokiJS adapter, no IndexedDB in Node, so
// LokiJS falls back to its memory adapter) with the SDK's generated schema and models, and
// `sync()` = the mobile SDK's sync() (clients/mobile), which runs WatermelonDB's own synchronize().
//
// Nothing here mocks the server. The only hooks are ones a real app has too: a pushChanges
// wrapper (used by one test to simulate a push whose response is lost) and WatermelonDB's own
// `onWillApplyRemoteChanges` callback (used to interleave another device's sync).

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')

const { sdk, fromSdk } = require('./sdk')
const { schema, migrations, modelClasses, TABLES, TABLE_NAMES, columnsOf } = require('./schema')

const { Database } = fromSdk('@nozbe/watermelondb')
const LokiJSAdapter = fromSdk('@nozbe/watermelondb/adapters/lokijs').default
const { hasUnsyncedChanges } = fromSdk('@nozbe/watermelondb/sync')
const logger = fromSdk('@nozbe/watermelondb/utils/common/logger').default

if (!process.env.WATERMELON_DEBUG) {
  logger.silence() // LokiJS/WatermelonDB chatter ("[🍉] [Loki] Database loaded" ...)
}

const PASSWORD = 'correct-horse-battery-9'

function baseUrl() {
  const url = process.env.POSTERIOR_URL
  if (!url) {
    throw new Error('POSTERIOR_URL is not set (e.g. POSTERIOR_URL=http://127.0.0.1:8123 npm test)')
  }
  return url.replace(/\/+$/, '')
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** A non-2xx answer. Carries the exact request and response so a failure shows both. */
class HttpError extends Error {
  constructor({ method, url, requestBody, status, headers, bodyText, body }) {
    const reqExcerpt = requestBody === undefined ? '' : `\n  request body: ${excerpt(requestBody)}`
    super(`${method} ${url} -> HTTP ${status}${reqExcerpt}\n  response body: ${excerpt(bodyText)}`)
    this.name = 'HttpError'
    this.method = method
    this.url = url
    this.requestBody = requestBody
    this.status = status
    this.headers = headers
    this.bodyText = bodyText
    this.body = body
    this.contentType = headers.get('content-type')
  }
}

/** The server broke docs/design/sync-protocol.md in a way the client can detect by itself. */
class ContractViolation extends Error {
  constructor(message, details) {
    super(`server contract violation: ${message}${details ? `\n  ${excerpt(details)}` : ''}`)
    this.name = 'ContractViolation'
  }
}

function excerpt(value, max = 2000) {
  const s = typeof value === 'string' ? value : JSON.stringify(value)
  return s && s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s
}

async function http(method, path, { token, json, rawBody } = {}) {
  const url = `${baseUrl()}${path}`
  const headers = { Accept: 'application/json' }
  let body
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = rawBody !== undefined ? rawBody : JSON.stringify(json)
  }
  if (token) headers.Authorization = `Bearer ${token}`
  let res
  for (let attempt = 1; ; attempt += 1) {
    res = await fetch(url, { method, headers, body })
    // A real app honours 429 Retry-After; say so loudly, since it slows the suite down.
    if (res.status !== 429 || attempt > 5) break
    const waitS = Math.min(Number(res.headers.get('retry-after')) || 1, 30)
    console.log(`[rate limited] ${method} ${path} -> 429, retrying in ${waitS}s (attempt ${attempt})`)
    await res.arrayBuffer()
    await new Promise((resolve) => setTimeout(resolve, waitS * 1000))
  }
  const bodyText = await res.text()
  let parsed
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined
  } catch {
    parsed = undefined
  }
  if (res.status < 200 || res.status > 299) {
    throw new HttpError({
      method,
      url,
      requestBody: body,
      status: res.status,
      headers: res.headers,
      bodyText,
      body: parsed,
    })
  }
  return { status: res.status, headers: res.headers, body: parsed, bodyText }
}

// ---------------------------------------------------------------------------------------------
// Users

function uniqueEmail() {
  return `client-${Date.now().toString(36)}-${crypto.randomBytes(6).toString('hex')}@example.com`
}

/**
 * Registers a fresh user and opens the verification link mailed to it, which signs it in (an
 * account signs in only once verified). Returns { email, password, token, refreshToken }.
 */
async function newUser() {
  const email = uniqueEmail()
  const reg = await http('POST', '/v1/auth/register', { json: { email, password: PASSWORD } })
  if (reg.status !== 202) {
    throw new ContractViolation(`register answered ${reg.status}, expected 202`, reg.bodyText)
  }
  const verified = await http('POST', '/v1/auth/verify-email', { json: { token: await mailedToken(email) } })
  const { access_token: token, refresh_token: refreshToken, token_type: tokenType } = verified.body || {}
  if (!token || String(tokenType).toLowerCase() !== 'bearer') {
    throw new ContractViolation('verify-email did not return a bearer access_token', verified.bodyText)
  }
  return { email, password: PASSWORD, token, refreshToken }
}

/**
 * The token of the verification link mailed to `email`. The server runs without SMTP_URL, so it
 * writes each message as an .eml file into POSTERIOR_MAIL_DIR (its var/mail/), renamed into place
 * whole; the body is quoted-printable, whose soft line breaks may split the link.
 */
async function mailedToken(email) {
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

// ---------------------------------------------------------------------------------------------
// Devices

let deviceCounter = 0

/** A fresh phone: an empty in-memory WatermelonDB database with the v1 schema. */
function newDevice(name = 'device') {
  deviceCounter += 1
  const adapter = new LokiJSAdapter({
    schema,
    migrations,
    dbName: `posterior-${name}-${process.pid}-${deviceCounter}`,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    // In-memory only: no autosave timer keeping the process alive.
    extraLokiOptions: { autosave: false },
    onSetUpError: (error) => {
      throw error
    },
  })
  const database = new Database({ adapter, modelClasses })
  database.deviceName = name
  return database
}

// ---------------------------------------------------------------------------------------------
// Contract checks on what the server sends (the client cannot work around these silently:
// WatermelonDB would turn a number sent as a string into 0, or drop a missing table).

const JSON_TYPE = { string: 'string', number: 'number', boolean: 'boolean' }

function checkPullResponse(body, lastPulledAt, url) {
  if (!body || typeof body !== 'object' || !body.changes || typeof body.changes !== 'object') {
    throw new ContractViolation(`pull ${url}: body has no "changes" object`, body)
  }
  const { timestamp } = body
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp) || timestamp <= 0) {
    throw new ContractViolation(`pull ${url}: timestamp must be a positive integer, got ${JSON.stringify(timestamp)}`)
  }
  if (lastPulledAt != null && timestamp < lastPulledAt) {
    throw new ContractViolation(`pull ${url}: cursor went backwards (${lastPulledAt} -> ${timestamp})`)
  }
  for (const table of TABLE_NAMES) {
    const set = body.changes[table]
    if (!set || !Array.isArray(set.created) || !Array.isArray(set.updated) || !Array.isArray(set.deleted)) {
      throw new ContractViolation(`pull ${url}: table "${table}" missing or not {created,updated,deleted}`, set)
    }
    for (const id of set.deleted) {
      if (typeof id !== 'string') throw new ContractViolation(`pull ${url}: ${table}.deleted holds a non-string id`, id)
    }
    for (const rec of [...set.created, ...set.updated]) checkPulledRecord(table, rec, url)
  }
}

function checkPulledRecord(table, rec, url) {
  if (!rec || typeof rec.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(rec.id)) {
    throw new ContractViolation(`pull ${url}: ${table} record with a bad id`, rec)
  }
  for (const [col, type] of TABLES[table]) {
    if (!(col in rec)) {
      throw new ContractViolation(`pull ${url}: ${table} ${rec.id} lacks column "${col}" (send null where unset)`, rec)
    }
    const v = rec[col]
    const mustBeSet = col === 'created_at' || col === 'updated_at'
    if (v === null && !mustBeSet) continue
    if (typeof v !== JSON_TYPE[type] || (type === 'number' && !Number.isFinite(v))) {
      throw new ContractViolation(
        `pull ${url}: ${table} ${rec.id}.${col} should be a JSON ${type}${mustBeSet ? '' : ' or null'}, got ${JSON.stringify(v)}`,
        rec,
      )
    }
    if (col.endsWith('_json')) {
      try {
        JSON.parse(v)
      } catch {
        throw new ContractViolation(`pull ${url}: ${table} ${rec.id}.${col} is not JSON text`, v)
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sync

function newStats() {
  return { pulls: [], pushes: [] }
}

/**
 * One sync of `database` for the user holding `token` (an access token, or an SDK TokenStore),
 * through the SDK's sync(), checking what the server sends on the way.
 * options (besides any of the SDK's sync options, e.g. maxConflictRetries, splitLargePushes):
 *   wrapPush(realPush) -> pushChanges   (to simulate a lost push response)
 *   onWillApplyRemoteChanges            (WatermelonDB's hook between pull and apply/push)
 *   stats                               ({pulls, pushes} collected; a fresh one otherwise)
 * Resolves to the stats; rejects with the SDK's PosteriorProblem (status, body) on a non-2xx answer.
 */
async function sync(database, token, options = {}) {
  const { wrapPush, stats = newStats(), ...sdkOptions } = options
  const auth = typeof token === 'string' ? new sdk.MemoryTokenStore(token, null) : token
  const report = await sdk.sync(database, {
    baseUrl: baseUrl(),
    auth,
    wrapPushChanges: wrapPush,
    onPull: ({ url, ms, chars, timestamp, hasMore, changes }) => {
      const path = url.slice(baseUrl().length)
      const lastPulledAt = new URL(url).searchParams.get('last_pulled_at')
      checkPullResponse({ changes, timestamp, has_more: hasMore }, lastPulledAt === 'null' ? null : Number(lastPulledAt), path)
      stats.pulls.push({ path, ms, bytes: chars, timestamp, changes })
    },
    onPush: ({ url, ms, body, changes }) => {
      const path = url.slice(baseUrl().length)
      if (body && typeof body === 'object' && 'experimentalRejectedIds' in body) {
        throw new ContractViolation(`push ${path}: returned experimentalRejectedIds (pushes are all-or-nothing)`, body)
      }
      stats.pushes.push({ path, ms, status: 200, body, changes })
    },
    ...sdkOptions,
  })
  stats.log = report.logs[report.logs.length - 1]
  stats.report = report
  return stats
}

// ---------------------------------------------------------------------------------------------
// Local data helpers

/** Every record of `table`: `{id, ...columns}` (no _status/_changed), sorted by id. */
async function dump(database, table) {
  const records = await database.get(table).query().fetch()
  return records
    .map((r) => {
      const out = { id: r.id }
      for (const col of columnsOf(table)) out[col] = r._raw[col]
      return out
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** `{table: dump}` for the device-written tables (or those given). */
async function dumpAll(database, tables = ['workouts', 'workout_sets', 'pain_reports']) {
  const out = {}
  for (const t of tables) out[t] = await dump(database, t)
  return out
}

async function statuses(database, table) {
  const records = await database.get(table).query().fetch()
  const out = {}
  for (const r of records) out[r.id] = r._raw._status
  return out
}

const DAY = 24 * 3600 * 1000
const BASE_TIME = Date.UTC(2026, 2, 2, 17, 0, 0) // 2026-03-02T17:00:00Z

/** Column values of a valid set (overridable). */
function setValues(i, overrides = {}) {
  return {
    exercise_id: 'romanian-deadlift',
    set_index: i,
    side: 'both',
    load_kg: 80 + 2.5 * (i % 8),
    reps: 8 - (i % 3),
    rir: i % 4,
    rpe: 7.5 + 0.5 * (i % 3),
    eccentric_s: 3,
    assistance_kg: null,
    to_failure: i % 5 === 4,
    is_warmup: i === 0,
    performed_at: BASE_TIME + 180000 * i,
    entered_load: null, // typed in kilograms: load_kg is what was typed (sync schema 4)
    entered_unit: null,
    ...overrides,
  }
}

function assignRaw(record, values) {
  for (const [col, v] of Object.entries(values)) {
    if (col === 'id') continue
    record._setRaw(col, v)
  }
}

/**
 * Logs a workout with `count` sets on a device (offline: nothing is sent).
 * Options: ids {workout, sets[]} to force client ids, workout overrides, set overrides (fn i -> obj).
 * Returns {workout, sets} (Model instances).
 */
async function logWorkout(database, { count = 3, workoutId, setIds, workout = {}, set = () => ({}) } = {}) {
  const workouts = database.get('workouts')
  const sets = database.get('workout_sets')
  let result
  await database.write(async () => {
    const startedAt = workout.started_at ?? BASE_TIME
    const w = workouts.prepareCreate((r) => {
      if (workoutId) r._raw.id = workoutId
      assignRaw(r, {
        started_at: startedAt,
        ended_at: startedAt + 3600000,
        program_day_id: null,
        notes: 'Posterior day A',
        ...workout,
      })
    })
    const ss = []
    for (let i = 0; i < count; i += 1) {
      ss.push(
        sets.prepareCreate((r) => {
          if (setIds) r._raw.id = setIds[i]
          assignRaw(r, { workout_id: w.id, ...setValues(i), performed_at: startedAt + 60000 * (i + 1), ...set(i) })
        }),
      )
    }
    await database.batch(w, ...ss)
    result = { workout: w, sets: ss }
  })
  return result
}

/** Updates one record's columns in a writer. */
async function updateRecord(database, record, values) {
  await database.write(async () => {
    await record.update((r) => assignRaw(r, values))
  })
}

/** Deletes a record the way WatermelonDB sync expects (a tombstone that is pushed). */
async function markDeleted(database, record) {
  await database.write(async () => {
    await record.markAsDeleted()
  })
}

async function find(database, table, id) {
  try {
    return await database.get(table).find(id)
  } catch {
    return null
  }
}

/** A brand-new device of the user that syncs once; returns {device, data, stats}. */
async function freshDevice(token, name = 'fresh', tables) {
  const device = newDevice(name)
  const stats = await sync(device, token)
  return { device, stats, data: await dumpAll(device, tables) }
}

/** Awaits `promise` and returns the HTTP error (the SDK's PosteriorProblem, or HttpError) it must reject with. */
async function expectHttpError(promise) {
  try {
    await promise
  } catch (error) {
    if (error instanceof sdk.PosteriorProblem || error instanceof HttpError) return error
    throw error
  }
  throw new Error('expected the sync to fail with an HTTP error, but it succeeded')
}

module.exports = {
  PASSWORD,
  DAY,
  BASE_TIME,
  HttpError,
  ContractViolation,
  baseUrl,
  http,
  newUser,
  newDevice,
  sync,
  hasUnsyncedChanges,
  dump,
  dumpAll,
  statuses,
  setValues,
  logWorkout,
  updateRecord,
  markDeleted,
  find,
  freshDevice,
  expectHttpError,
  newStats,
}
