// A phone for the tests: an in-memory WatermelonDB database (LokiJS; no IndexedDB in Node, so
// LokiJS keeps it in memory) with the SDK's generated schema, migrations and models.

import { Database } from '@nozbe/watermelondb'
import LokiJSAdapter from '@nozbe/watermelondb/adapters/lokijs'
import type { AppSchema } from '@nozbe/watermelondb'
import type { SchemaMigrations } from '@nozbe/watermelondb/Schema/migrations'
import logger from '@nozbe/watermelondb/utils/common/logger'

import { migrations, modelClasses, schema } from '../src'

if (!process.env.WATERMELON_DEBUG) logger.silence() // "[🍉] [Loki] Database loaded" …

let devices = 0

export function newDevice(
  name = 'device',
  options: { schema?: AppSchema; migrations?: SchemaMigrations } = {},
): Database {
  devices += 1
  const adapter = new LokiJSAdapter({
    schema: options.schema ?? schema,
    migrations: options.migrations ?? migrations,
    dbName: `sdk-${name}-${process.pid}-${devices}`,
    useWebWorker: false,
    useIncrementalIndexedDB: false,
    extraLokiOptions: { autosave: false }, // no autosave timer keeping the process alive
    onSetUpError: (error: Error) => {
      throw error
    },
  })
  return new Database({ adapter, modelClasses })
}
