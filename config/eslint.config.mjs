// Flat ESLint config. Lives under config/ because the top level is fixed by
// the design card; `npm run lint` points ESLint at it.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.swc/**', 'test-results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser, ...globals.jest, defineAppConfig: 'readonly', definePageConfig: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Production code never imports test fixtures.
    files: ['src/**/*.{ts,tsx}', 'server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/test/**', '**/fixtures/**'], message: 'Production code must not import test code or fixtures.' }],
      }],
    },
  },
  {
    // core/ is plain TypeScript shared with server/ and bench/: no UI, no platform.
    // After the rule above, because a later block replaces a rule's options.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@tarojs/*'], message: 'src/core must not depend on Taro: keep it platform-free (it is shared with server/ and bench/).' },
          { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'src/core must not depend on React or the store.' },
          { group: ['@/*', '../*'], message: 'src/core may import only from src/core.' },
          { group: ['**/test/**', '**/fixtures/**'], message: 'Production code must not import test code or fixtures.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
