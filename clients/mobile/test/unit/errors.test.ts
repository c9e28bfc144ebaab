// Every answer the server can give maps to one typed error (RFC 9457 problem details).

import assert from 'node:assert/strict'
import { test } from 'node:test'

import {
  ConflictProblem,
  NotFoundProblem,
  PayloadTooLargeProblem,
  PosteriorProblem,
  problemFrom,
  RateLimitedProblem,
  retryAfterSeconds,
  UnauthorizedProblem,
  UnavailableProblem,
  UnsupportedSchemaVersionProblem,
  ValidationProblem,
} from '../../src'

function answer(status: number, body: unknown, headers: Record<string, string> = {}): PosteriorProblem {
  return problemFrom({
    method: 'POST',
    url: 'http://api.test/v1/sync/push',
    status,
    headers: new Headers({ 'content-type': 'application/problem+json', ...headers }),
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

const problem = (status: number, slug: string, extra: object = {}) => ({
  type: `/problems/${slug}`,
  title: slug,
  status,
  detail: `detail of ${slug}`,
  instance: '/v1/sync/push',
  request_id: 'r1',
  ...extra,
})

test('a 422 is a ValidationProblem listing the invalid records', () => {
  const error = answer(422, problem(422, 'validation-error', { errors: [{ table: 'workout_sets', id: 's1', field: 'reps', message: 'too many' }] }))
  assert.ok(error instanceof ValidationProblem)
  assert.equal(error.kind, 'validation')
  assert.deepEqual(error.errors, [{ table: 'workout_sets', id: 's1', field: 'reps', message: 'too many' }])
  assert.equal(error.requestId, 'r1')
  assert.match(error.message, /POST http:\/\/api\.test\/v1\/sync\/push -> 422 validation-error: detail of validation-error/)
})

test('a 409 sync-conflict names the conflicting ids', () => {
  const error = answer(409, problem(409, 'sync-conflict', { conflicts: [{ table: 'workout_sets', id: 's1' }] }))
  assert.ok(error instanceof ConflictProblem)
  assert.equal(error.kind, 'conflict')
  assert.equal(error.isSyncConflict, true)
  assert.deepEqual(error.conflictIds, ['s1'])
})

test('a 409 that is not about sync (email taken) is a conflict but not a sync conflict', () => {
  const error = answer(409, problem(409, 'email-taken'))
  assert.ok(error instanceof ConflictProblem)
  assert.equal(error.isSyncConflict, false)
})

test('a 400 unsupported-schema-version carries the versions the server speaks', () => {
  const error = answer(400, problem(400, 'unsupported-schema-version', { schema_version: 0, min_schema_version: 2, max_schema_version: 3 }))
  assert.ok(error instanceof UnsupportedSchemaVersionProblem)
  assert.equal(error.kind, 'unsupportedSchemaVersion')
  assert.equal(error.minSchemaVersion, 2)
  assert.equal(error.maxSchemaVersion, 3)
})

test('401, 413, 429 and 503 map to their kinds, with Retry-After in seconds', () => {
  assert.ok(answer(401, problem(401, 'unauthenticated')) instanceof UnauthorizedProblem)
  assert.ok(answer(413, problem(413, 'payload-too-large')) instanceof PayloadTooLargeProblem)
  const limited = answer(429, problem(429, 'rate-limited'), { 'retry-after': '7' })
  assert.ok(limited instanceof RateLimitedProblem)
  assert.equal(limited.retryAfterS, 7)
  const down = answer(503, problem(503, 'service-unavailable'), { 'retry-after': '5' })
  assert.equal(down.kind, 'unavailable')
  assert.equal(down.retryAfterS, 5)
})

test('an answer without a problem body maps by its status (a gateway\'s HTML 502)', () => {
  const error = answer(502, '<html>Bad gateway</html>', { 'content-type': 'text/html' })
  assert.ok(error instanceof UnavailableProblem)
  assert.equal(error.body, undefined)
  assert.equal(error.bodyText, '<html>Bad gateway</html>')
  assert.equal(error.contentType, 'text/html')
  assert.ok(answer(404, '') instanceof NotFoundProblem)
  assert.equal(answer(418, '').kind, 'other')
})

test('Retry-After may be an HTTP date', () => {
  const now = Date.parse('2026-03-02T17:00:00Z')
  assert.equal(retryAfterSeconds(new Headers({ 'retry-after': 'Mon, 02 Mar 2026 17:00:10 GMT' }), now), 10)
  assert.equal(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), now), undefined)
  assert.equal(retryAfterSeconds(new Headers(), now), undefined)
})
