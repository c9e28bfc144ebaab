// The transport's own behaviour (token, refresh, Retry-After), with a scripted fetch standing in
// for the network. The same paths run against a real server in test/server/.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { MemoryTokenStore, RateLimitedProblem, UnauthorizedProblem } from '../../src'
import { Transport } from '../../src/transport'

type Reply = (request: Request) => Response | Promise<Response>

/** A fetch that answers with `replies` in turn and records each request it saw. */
function scripted(...replies: Reply[]): { fetch: (r: Request) => Promise<Response>; seen: Request[] } {
  const seen: Request[] = []
  return {
    seen,
    fetch: async (request) => {
      seen.push(request)
      const reply = replies.shift()
      if (reply === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`)
      return reply(request)
    },
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
const problem = (status: number, slug: string, headers: Record<string, string> = {}) =>
  json(status, { type: `/problems/${slug}`, title: slug, status, detail: slug }, { 'content-type': 'application/problem+json', ...headers })
const tokens = (access: string, refresh: string) =>
  json(200, { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: 900 })

test('every request carries the access token and asks for gzip', async () => {
  const net = scripted(json(200, { ok: true }))
  const transport = new Transport({ baseUrl: 'http://api.test/', auth: new MemoryTokenStore('a1', 'r1'), fetch: net.fetch })
  const { body } = await transport.json('GET', '/v1/me')
  assert.deepEqual(body, { ok: true })
  assert.equal(net.seen[0].url, 'http://api.test/v1/me')
  assert.equal(net.seen[0].headers.get('authorization'), 'Bearer a1')
  assert.equal(net.seen[0].headers.get('accept-encoding'), 'gzip')
})

test('a 401 refreshes the tokens once, stores the new pair and resends the request with its body', async () => {
  const store = new MemoryTokenStore('expired', 'r1')
  const net = scripted(problem(401, 'unauthenticated'), tokens('a2', 'r2'), json(200, { applied: 1 }))
  const transport = new Transport({ baseUrl: 'http://api.test', auth: store, fetch: net.fetch })
  await transport.json('POST', '/v1/sync/push', { changes: {} })
  const [first, refresh, retry] = net.seen
  assert.equal(refresh.url, 'http://api.test/v1/auth/refresh')
  assert.deepEqual(await refresh.json(), { refresh_token: 'r1' })
  assert.equal(retry.headers.get('authorization'), 'Bearer a2')
  assert.deepEqual(await retry.json(), await first.json())
  assert.deepEqual([store.accessToken, store.refreshToken], ['a2', 'r2'])
})

test('two requests answered 401 together refresh once (a reused refresh token would end the login)', async () => {
  const store = new MemoryTokenStore('expired', 'r1')
  let refreshes = 0
  const fetch = async (request: Request): Promise<Response> => {
    if (request.url.endsWith('/v1/auth/refresh')) {
      refreshes += 1
      await new Promise((resolve) => setTimeout(resolve, 20))
      return tokens('a2', 'r2')()
    }
    return request.headers.get('authorization') === 'Bearer a2' ? json(200, {})() : problem(401, 'unauthenticated')()
  }
  const transport = new Transport({ baseUrl: 'http://api.test', auth: store, fetch })
  await Promise.all([transport.json('GET', '/v1/me'), transport.json('GET', '/v1/me/insights')])
  assert.equal(refreshes, 1)
})

test('a refused refresh and a second 401 end in an UnauthorizedProblem', async () => {
  const refused = scripted(problem(401, 'unauthenticated'), problem(401, 'unauthenticated'))
  const store = new MemoryTokenStore('expired', 'spent')
  await assert.rejects(new Transport({ baseUrl: 'http://api.test', auth: store, fetch: refused.fetch }).json('GET', '/v1/me'), UnauthorizedProblem)
  const stillRefused = scripted(problem(401, 'unauthenticated'), tokens('a2', 'r2'), problem(401, 'unauthenticated'))
  await assert.rejects(
    new Transport({ baseUrl: 'http://api.test', auth: new MemoryTokenStore('a1', 'r1'), fetch: stillRefused.fetch }).json('GET', '/v1/me'),
    UnauthorizedProblem,
  )
  assert.equal(stillRefused.seen.length, 3, 'one refresh, one retry, no loop')
})

test('429 and 503 are retried after Retry-After, a bounded number of times', async () => {
  const net = scripted(problem(429, 'rate-limited', { 'retry-after': '0' }), problem(503, 'service-unavailable', { 'retry-after': '0' }), json(200, {}))
  await new Transport({ baseUrl: 'http://api.test', auth: new MemoryTokenStore('a', 'r'), fetch: net.fetch }).json('GET', '/v1/me')
  assert.equal(net.seen.length, 3)

  const always = scripted(...Array.from({ length: 3 }, () => problem(429, 'rate-limited', { 'retry-after': '0' })))
  const transport = new Transport({ baseUrl: 'http://api.test', auth: new MemoryTokenStore('a', 'r'), fetch: always.fetch, retry: { maxRetries: 2 } })
  await assert.rejects(transport.json('GET', '/v1/me'), RateLimitedProblem)
  assert.equal(always.seen.length, 3)
})

test('a Retry-After longer than the app is willing to wait fails at once with retryAfterS', async () => {
  const net = scripted(problem(429, 'rate-limited', { 'retry-after': '3600' }))
  const transport = new Transport({ baseUrl: 'http://api.test', auth: new MemoryTokenStore('a', 'r'), fetch: net.fetch })
  await assert.rejects(transport.json('GET', '/v1/me'), (error: unknown) => error instanceof RateLimitedProblem && error.retryAfterS === 3600)
})
