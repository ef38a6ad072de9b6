/**
 * One Jest config, several projects, so each kind of test gets the
 * environment it needs. `npm test` runs them all; `--selectProjects` picks one.
 */
const path = require('node:path')

const rootDir = path.resolve(__dirname, '..')

/** App code under test resolves Taro to the mocks that deliver events as WeChat does. */
const appModuleNameMapper = {
  '^@tarojs/components$': '<rootDir>/test/mocks/taro-components.tsx',
  '^@tarojs/taro$': '<rootDir>/test/mocks/taro.ts',
  '^@/(.*)$': '<rootDir>/src/$1',
  '\\.(css|scss|sass|less)$': '<rootDir>/test/mocks/style.ts',
}

const base = {
  rootDir,
  transform: { '\\.[jt]sx?$': ['babel-jest', { configFile: path.join(rootDir, 'babel.config.js') }] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json'],
}

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      moduleNameMapper: appModuleNameMapper,
    },
    {
      ...base,
      displayName: 'components',
      testEnvironment: 'jsdom',
      // Resolve packages (ws) to their Node builds: the room client in these
      // tests talks to a real service over real sockets.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      testMatch: ['<rootDir>/test/components/**/*.test.tsx'],
      moduleNameMapper: appModuleNameMapper,
      setupFilesAfterEnv: ['<rootDir>/test/mocks/setup-components.ts'],
      globalSetup: '<rootDir>/test/components/global-setup.ts',
      globalTeardown: '<rootDir>/test/components/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'server',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/server/**/*.test.ts'],
      moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
    },
    {
      ...base,
      displayName: 'client',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/client/**/*.test.ts'],
      // The app's room client against a real service: Taro's network APIs over real sockets.
      moduleNameMapper: { '^@tarojs/taro$': '<rootDir>/test/mocks/taro-node.ts', '^@/(.*)$': '<rootDir>/src/$1' },
    },
    {
      ...base,
      displayName: 'weapp',
      testEnvironment: 'node',
      // The files run in jsdom (docblock); resolve packages (ws) to their
      // Node builds: the fake wx talks to a real room service over real sockets.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      testMatch: ['<rootDir>/test/weapp/**/*.test.ts'],
      // The other participants of a test are the app's room client run in
      // Node: Taro's network APIs over real HTTP and WebSockets. (The app
      // under test is the built bundle and never goes through this mapping.)
      moduleNameMapper: { '^@tarojs/taro$': '<rootDir>/test/mocks/taro-node.ts' },
      setupFilesAfterEnv: ['<rootDir>/test/weapp/setup.ts'],
      // One room service on a fixed port (the build points at it): see test/weapp/README.md.
      globalSetup: '<rootDir>/test/weapp/global-setup.ts',
      globalTeardown: '<rootDir>/test/weapp/global-teardown.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testEnvironment: 'node',
      // Browser tests against a real stack in a child process (test/e2e/stack.ts):
      // Chromium, ffmpeg relays and bots share two cores, so the files must run one
      // at a time — maxWorkers is a global option, hence `--runInBand` in
      // `npm run test:e2e`, which also builds the H5 app first.
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      // Generous per-test timeouts (testTimeout is a global option too).
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
    },
  ],
}
