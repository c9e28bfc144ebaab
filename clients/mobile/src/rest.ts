// The rest of the API, typed from openapi/openapi.json (generated/api.ts, by `make sdk`), through
// openapi-fetch and the same transport as sync(): token, refresh on 401, Retry-After.

import createClient, { type Client } from 'openapi-fetch'

import { problemFrom } from './errors'
import type { paths } from './generated/api'
import { type ConnectionOptions, Transport } from './transport'

export type ApiClient = Client<paths>

// openapi-fetch's answers carry the response but not the request; the problem's message names both.
const methods = new WeakMap<Response, string>()

/**
 * A typed client: `api.GET('/v1/me/next-session')` answers `{ data, error, response }` with
 * `data` typed from the contract; `unwrap()` turns an error answer into its PosteriorProblem.
 */
export function createApiClient(options: ConnectionOptions): ApiClient {
  const transport = new Transport(options)
  return createClient<paths>({
    baseUrl: transport.baseUrl,
    fetch: async (request) => {
      const response = await transport.send(request)
      methods.set(response, request.method)
      return response
    },
  })
}

/** The data of a 2xx answer; rejects with the typed PosteriorProblem of any other. */
export async function unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await result
  if (response.ok) return data as T
  throw problemFrom({
    method: methods.get(response) ?? 'HTTP',
    url: response.url,
    status: response.status,
    headers: response.headers,
    bodyText: typeof error === 'string' ? error : JSON.stringify(error ?? ''),
  })
}
