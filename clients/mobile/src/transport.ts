// One way to the server for sync() and the REST client: the access token on every request, one
// refresh on a 401, `Retry-After` honoured on 429 and 503, and every other non-2xx as a typed error.

import { type FetchLike, refreshTokens, type TokenStore } from './auth'
import { problemFromResponse, retryAfterSeconds } from './errors'

export interface RetryOptions {
  /** Retries of a 429 or 503 answer (default 3). */
  maxRetries?: number
  /** The longest `Retry-After` waited for, in seconds (default 30): a longer one fails at once, with `retryAfterS`. */
  maxWaitS?: number
}

export interface ConnectionOptions {
  /** The API's origin, e.g. `https://api.posterior.app` (no trailing /v1). */
  baseUrl: string
  /** The app's tokens; optional for the REST client's public calls (register, login, catalog). */
  auth?: TokenStore
  /** A fetch taking a Request (defaults to the global fetch). */
  fetch?: FetchLike
  retry?: RetryOptions
  /**
   * Ask for gzip (`Accept-Encoding: gzip`; pulls of years of logs shrink about tenfold). Default:
   * true, except on React Native, whose Android HTTP stack (OkHttp) negotiates gzip by itself and
   * stops decompressing when the app sets the header.
   */
  gzip?: boolean
}

const RETRIED_STATUSES = new Set([429, 503])
// Without Retry-After (a gateway's 503), back off 1 s, 2 s, 4 s …
const DEFAULT_BACKOFF_S = 1

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function isReactNative(): boolean {
  return typeof navigator !== 'undefined' && (navigator as { product?: string }).product === 'ReactNative'
}

export class Transport {
  readonly baseUrl: string
  readonly auth: TokenStore | undefined
  private readonly fetchImpl: FetchLike
  private readonly maxRetries: number
  private readonly maxWaitS: number
  private readonly gzip: boolean

  constructor(options: ConnectionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.auth = options.auth
    // Bound so that a fetch polyfill that reads `this` keeps working.
    this.fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request))
    this.maxRetries = options.retry?.maxRetries ?? 3
    this.maxWaitS = options.retry?.maxWaitS ?? 30
    this.gzip = options.gzip ?? !isReactNative()
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`
  }

  /**
   * Sends `request` (cloned per attempt, so it can be resent) and returns the final response,
   * which may be a non-2xx one: the REST client reads those itself.
   */
  async send(request: Request): Promise<Response> {
    let refreshed = false
    for (let retries = 0; ; ) {
      const token = this.auth ? await this.auth.getAccessToken() : null
      const response = await this.fetchImpl(this.prepare(request, token))
      if (response.status === 401 && this.auth && !refreshed) {
        await discard(response)
        refreshed = true
        await refreshTokens(this.auth, token, this.url('/v1/auth/refresh'), this.fetchImpl)
        continue
      }
      if (RETRIED_STATUSES.has(response.status) && retries < this.maxRetries) {
        const waitS = retryAfterSeconds(response.headers) ?? DEFAULT_BACKOFF_S * 2 ** retries
        if (waitS <= this.maxWaitS) {
          await discard(response)
          retries += 1
          await sleep(waitS * 1000)
          continue
        }
      }
      return response
    }
  }

  /** Sends and parses a JSON answer; a non-2xx one rejects with its PosteriorProblem. */
  async json<T>(method: string, path: string, body?: unknown): Promise<{ body: T; chars: number }> {
    const init: RequestInit = { method, headers: { Accept: 'application/json' } }
    if (body !== undefined) {
      init.body = JSON.stringify(body)
      init.headers = { ...init.headers, 'Content-Type': 'application/json' }
    }
    const response = await this.send(new Request(this.url(path), init))
    if (!response.ok) throw await problemFromResponse(method, response)
    const text = await response.text()
    return { body: JSON.parse(text) as T, chars: text.length }
  }

  private prepare(request: Request, token: string | null): Request {
    const headers = new Headers(request.headers)
    if (token) headers.set('Authorization', `Bearer ${token}`)
    if (this.gzip) headers.set('Accept-Encoding', 'gzip')
    return new Request(request.clone(), { headers })
  }
}

async function discard(response: Response): Promise<void> {
  // An unread body holds the connection open until garbage collection.
  await response.body?.cancel()
}
