// @posterior/mobile: what the app imports (docs/mobile.md).

export { MemoryTokenStore, type TokenPair, type TokenStore } from './auth'
export * from './errors'
export { type Json } from './fields'
export type { components, operations, paths } from './generated/api'
export { migrations } from './generated/migrations'
export * from './generated/models'
export * from './generated/records'
export { MIN_SCHEMA_VERSION, SCHEMA_VERSION, SYNC_SCHEMA, schema } from './generated/schema'
export { type ApiClient, createApiClient, unwrap } from './rest'
export {
  DEFAULT_PAGE_SIZE,
  type PulledPage,
  type PushChanges,
  type PushedPart,
  sync,
  type SyncOptions,
  type SyncReport,
} from './sync'
export type { ConnectionOptions, RetryOptions } from './transport'
