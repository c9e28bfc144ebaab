'use strict'
// The mobile SDK as the app uses it (clients/mobile, built with `npm run build` there; the pytest
// runner builds it), and WatermelonDB from the SDK's own install: the generated models extend
// that copy's Model class, so the Database and adapter must come from the same copy.

const path = require('node:path')
const { createRequire } = require('node:module')

const SDK_DIR = path.resolve(__dirname, '..', '..', 'clients', 'mobile')

const sdk = require(SDK_DIR)
const fromSdk = createRequire(path.join(SDK_DIR, 'package.json'))

module.exports = { sdk, fromSdk }
