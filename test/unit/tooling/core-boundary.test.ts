import path from 'node:path'
import { spawnSync } from 'node:child_process'

/**
 * The lint rule that keeps src/core free of Taro and React really fires.
 * ESLint runs as a child process (its flat config is ESM, which Jest's VM
 * cannot import without experimental flags).
 */
const root = path.resolve(__dirname, '../../..')

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/eslint/bin/eslint.js'), '-c', 'config/eslint.config.mjs', '--stdin', '--stdin-filename', filePath, '-f', 'json'],
    { cwd: root, input: code, encoding: 'utf8' },
  )
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

test.each([
  ['@tarojs/taro', "import Taro from '@tarojs/taro'\nexport const x = Taro"],
  ['@tarojs/components', "import { View } from '@tarojs/components'\nexport const x = View"],
  ['react', "import { useState } from 'react'\nexport const x = useState"],
  ['zustand', "import { create } from 'zustand'\nexport const x = create"],
  ['the app via @/', "import { x as y } from '@/store'\nexport const x = y"],
])('src/core importing %s is a lint error', async (_name, code) => {
  const messages = await lintAs('src/core/example.ts', code)
  expect(messages).toHaveLength(1)
})

test('the same imports are fine outside src/core', async () => {
  expect(await lintAs('src/hooks/example.ts', "import Taro from '@tarojs/taro'\nexport const x = Taro")).toEqual([])
})

test('src/core may import its own modules', async () => {
  expect(await lintAs('src/core/example.ts', "import { y } from './other'\nexport const x = y")).toEqual([])
})

test('production code may not import test fixtures', async () => {
  const messages = await lintAs('src/pages/room/example.ts', "import f from '../../../test/fixtures/x'\nexport const x = f")
  expect(messages).toHaveLength(1)
})
