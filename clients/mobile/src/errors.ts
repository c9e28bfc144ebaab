// Every non-2xx answer of the server as a typed error. The server speaks RFC 9457 problem
// details (docs/design/api-conventions.md): `type` ends in a slug that says what went wrong, and
// the app branches on `kind` (or `instanceof` a subclass), never on a message.

/** A field error of a 422: for a push, the table and record id it is about. */
export interface ProblemFieldError {
  message: string
  field?: string | null
  table?: string | null
  id?: string | null
}

/** An RFC 9457 problem details body, with the extension members Posterior sends. */
export interface ProblemBody {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  request_id?: string
  errors?: ProblemFieldError[] | null
  conflicts?: Array<Record<string, string>> | null
  min_schema_version?: number
  max_schema_version?: number
  [extension: string]: unknown
}

export type ProblemKind =
  | 'validation'
  | 'conflict'
  | 'unsupportedSchemaVersion'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'tooLarge'
  | 'rateLimited'
  | 'unavailable'
  | 'other'

/** Where the answer came from, for the message and for support tickets. */
export interface ProblemSource {
  method: string
  url: string
  status: number
  headers: Headers
  bodyText: string
}

export class PosteriorProblem extends Error {
  readonly kind: ProblemKind = 'other'
  readonly status: number
  /** The problem type, e.g. `/problems/sync-conflict`; '' when the body was not a problem. */
  readonly type: string
  readonly title: string
  readonly detail: string
  readonly errors: ProblemFieldError[]
  /** The parsed body (undefined when it was not JSON). */
  readonly body: ProblemBody | undefined
  readonly bodyText: string
  readonly contentType: string | null
  readonly method: string
  readonly url: string
  readonly requestId: string | undefined
  /** Seconds the server asked to wait (`Retry-After`), on 429 and 503. */
  readonly retryAfterS: number | undefined

  constructor(source: ProblemSource, body: ProblemBody | undefined) {
    const title = body?.title ?? `HTTP ${source.status}`
    super(`${source.method} ${source.url} -> ${source.status} ${title}${body?.detail ? `: ${body.detail}` : ''}`)
    this.name = new.target.name
    this.status = source.status
    this.type = body?.type ?? ''
    this.title = title
    this.detail = body?.detail ?? ''
    this.errors = Array.isArray(body?.errors) ? body.errors : []
    this.body = body
    this.bodyText = source.bodyText
    this.contentType = source.headers.get('content-type')
    this.method = source.method
    this.url = source.url
    this.requestId = body?.request_id
    this.retryAfterS = retryAfterSeconds(source.headers)
  }
}

/** 422: the request (for a push: at least one record) is invalid; nothing was stored. */
export class ValidationProblem extends PosteriorProblem {
  override readonly kind = 'validation'
}

/** 409. For a push (`/problems/sync-conflict`), `conflictIds` changed on the server meanwhile. */
export class ConflictProblem extends PosteriorProblem {
  override readonly kind = 'conflict'
  get isSyncConflict(): boolean {
    return this.type.endsWith('sync-conflict')
  }
  get conflictIds(): string[] {
    return (this.body?.conflicts ?? []).map((c) => c.id).filter((id): id is string => typeof id === 'string')
  }
}

/** 400 `unsupported-schema-version`: this app's schema is too old (or too new); update the app. */
export class UnsupportedSchemaVersionProblem extends PosteriorProblem {
  override readonly kind = 'unsupportedSchemaVersion'
  get minSchemaVersion(): number | undefined {
    return this.body?.min_schema_version
  }
  get maxSchemaVersion(): number | undefined {
    return this.body?.max_schema_version
  }
}

/** 401 after a token refresh was tried: the login is over; ask the user to sign in again. */
export class UnauthorizedProblem extends PosteriorProblem {
  override readonly kind = 'unauthorized'
}

export class ForbiddenProblem extends PosteriorProblem {
  override readonly kind = 'forbidden'
}

export class NotFoundProblem extends PosteriorProblem {
  override readonly kind = 'notFound'
}

/** 413: over 5,000 records or 4 MiB. sync() splits pushes itself; this reaches the app only for one huge record. */
export class PayloadTooLargeProblem extends PosteriorProblem {
  override readonly kind = 'tooLarge'
}

/** 429 still after the retries sync() makes; `retryAfterS` says when to try again. */
export class RateLimitedProblem extends PosteriorProblem {
  override readonly kind = 'rateLimited'
}

/** 503 (or a gateway's 502/504) still after the retries; nothing was changed. */
export class UnavailableProblem extends PosteriorProblem {
  override readonly kind = 'unavailable'
}

type ProblemClass = new (source: ProblemSource, body: ProblemBody | undefined) => PosteriorProblem

// The problem type decides first (a 400 may be a schema-version problem or a bad OAuth grant),
// the status when the slug is unknown (a proxy's HTML 502 has no problem type at all).
const BY_SLUG: Record<string, ProblemClass> = {
  'validation-error': ValidationProblem,
  'sync-conflict': ConflictProblem,
  'unsupported-schema-version': UnsupportedSchemaVersionProblem,
  unauthenticated: UnauthorizedProblem,
  'payload-too-large': PayloadTooLargeProblem,
  'rate-limited': RateLimitedProblem,
  'service-unavailable': UnavailableProblem,
  'not-found': NotFoundProblem,
}

const BY_STATUS: Record<number, ProblemClass> = {
  401: UnauthorizedProblem,
  403: ForbiddenProblem,
  404: NotFoundProblem,
  409: ConflictProblem,
  413: PayloadTooLargeProblem,
  422: ValidationProblem,
  429: RateLimitedProblem,
  502: UnavailableProblem,
  503: UnavailableProblem,
  504: UnavailableProblem,
}

/** The typed error of a non-2xx answer. */
export function problemFrom(source: ProblemSource): PosteriorProblem {
  let body: ProblemBody | undefined
  try {
    const parsed: unknown = source.bodyText ? JSON.parse(source.bodyText) : undefined
    body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ProblemBody) : undefined
  } catch {
    body = undefined
  }
  const slug = typeof body?.type === 'string' ? body.type.slice(body.type.lastIndexOf('/') + 1) : ''
  const Klass = BY_SLUG[slug] ?? BY_STATUS[source.status] ?? PosteriorProblem
  return new Klass(source, body)
}

/** Reads a response into its typed error. */
export async function problemFromResponse(method: string, response: Response): Promise<PosteriorProblem> {
  return problemFrom({
    method,
    url: response.url,
    status: response.status,
    headers: response.headers,
    bodyText: await response.text(),
  })
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get('retry-after')
  if (value === null || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}
