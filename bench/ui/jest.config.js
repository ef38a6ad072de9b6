/**
 * `npm run bench:ui`: the compiled mini program (dist/weapp) in
 * miniprogram-simulate, as test/weapp runs it, against a real room service
 * started for the run (global-setup.ts). One file, run in band: it measures.
 */
const path = require('node:path')
const base = require('../../test/jest.config.js')

const weapp = base.projects.find((p) => p.displayName === 'weapp')
const rootDir = path.resolve(__dirname, '../..')

module.exports = {
  ...weapp,
  displayName: 'bench-ui',
  rootDir,
  testMatch: ['<rootDir>/bench/ui/**/*.bench.ts'],
  globalSetup: '<rootDir>/bench/ui/global-setup.ts',
  globalTeardown: '<rootDir>/test/weapp/global-teardown.ts',
  testTimeout: 600_000,
}
