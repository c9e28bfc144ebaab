// Tokens: the app keeps them (secure storage); the SDK reads them for each request and, on a 401,
// rotates them once with POST /v1/auth/refresh.
//
// Refresh tokens rotate and a reused one revokes the whole login (docs/security.md), so two
// requests that hit a 401 together must not both refresh with the same token: refreshes of one
// store are single-flight, and a request whose token was already replaced just retries.

import { problemFromResponse } from './errors'

/** The answer of /v1/auth/login, /v1/auth/verify-email and /v1/auth/refresh. */
export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: string
  expires_in: number
}

/** Where the app keeps its tokens; every method may be async (Keychain, EncryptedStorage …). */
export interface TokenStore {
  getAccessToken(): string | null | Promise<string | null>
  getRefreshToken(): string | null | Promise<string | null>
  /** Called with the new pair after each refresh: persist both (the old refresh token is now spent). */
  setTokens(tokens: TokenPair): void | Promise<void>
}

/** A TokenStore in memory, for tests and scripts (an app persists its tokens). */
export class MemoryTokenStore implements TokenStore {
  constructor(
    public accessToken: string | null,
    public refreshToken: string | null,
  ) {}

  getAccessToken(): string | null {
    return this.accessToken
  }

  getRefreshToken(): string | null {
    return this.refreshToken
  }

  setTokens(tokens: TokenPair): void {
    this.accessToken = tokens.access_token
    this.refreshToken = tokens.refresh_token
  }
}

export type FetchLike = (request: Request) => Promise<Response>

const refreshing = new WeakMap<TokenStore, Promise<void>>()

/**
 * Makes sure `store` holds a newer access token than `rejected` (the one a 401 answered to).
 * Rejects with an UnauthorizedProblem when the refresh token is not valid any more.
 */
export function refreshTokens(
  store: TokenStore,
  rejected: string | null,
  refreshUrl: string,
  fetchImpl: FetchLike,
): Promise<void> {
  // Registered before the first await, so that a second 401 in the same tick joins this refresh.
  let running = refreshing.get(store)
  if (running === undefined) {
    running = refresh(store, rejected, refreshUrl, fetchImpl).finally(() => refreshing.delete(store))
    refreshing.set(store, running)
  }
  return running
}

async function refresh(store: TokenStore, rejected: string | null, refreshUrl: string, fetchImpl: FetchLike): Promise<void> {
  if ((await store.getAccessToken()) !== rejected) return // another request refreshed meanwhile
  const refreshToken = await store.getRefreshToken()
  const response = await fetchImpl(
    new Request(refreshUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken ?? '' }),
    }),
  )
  if (!response.ok) throw await problemFromResponse('POST', response)
  await store.setTokens((await response.json()) as TokenPair)
}
