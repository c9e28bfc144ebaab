'use strict'
// The app's WatermelonDB schema is the SDK's, generated from the server (`make sdk`):
// clients/mobile/src/generated/. This module only gives the tests its shapes by table name.

const { sdk } = require('./sdk')

const { SCHEMA_VERSION, SYNC_SCHEMA, schema, migrations, modelClasses } = sdk

/** `{table: [[column, type, isOptional], …]}` for the contract checks of pulled records. */
const TABLES = Object.fromEntries(
  SYNC_SCHEMA.tables.map((t) => [t.name, t.columns.map((c) => [c.name, c.type, c.optional])]),
)
const TABLE_NAMES = Object.keys(TABLES)
const DEVICE_TABLES = SYNC_SCHEMA.tables.filter((t) => t.device_writes).map((t) => t.name)

/** Column names of a table (without `id`). */
function columnsOf(table) {
  return TABLES[table].map(([name]) => name)
}

module.exports = { SCHEMA_VERSION, TABLES, TABLE_NAMES, DEVICE_TABLES, schema, migrations, modelClasses, columnsOf }
