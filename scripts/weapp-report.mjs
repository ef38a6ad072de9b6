#!/usr/bin/env node
// Checks a production weapp build (dist/weapp): its size against WeChat's
// 2 MB main-package limit, and that the development fixture is not in it.
// Prints the size the README quotes. Exit code 1 on a violation.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

const dist = path.resolve(process.argv[2] ?? 'dist/weapp')
const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024
/** Strings only src/dev/fixture-room.ts contains. */
const FIXTURE_MARKERS = ['DEVELOPMENT FIXTURE', 'live/demo-', 'fixtureRoom']

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

const files = walk(dist)
const total = files.reduce((sum, f) => sum + statSync(f).size, 0)
const problems = []
if (total > MAIN_PACKAGE_LIMIT) problems.push(`${total} bytes is over the 2 MB main-package limit`)
for (const f of files.filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(f, 'utf8')
  for (const marker of FIXTURE_MARKERS) {
    if (text.includes(marker)) problems.push(`${path.relative(dist, f)} contains the dev fixture ("${marker}")`)
  }
}
console.log(`weapp output: ${total} bytes in ${files.length} files (${(total / 1024).toFixed(1)} KiB; limit 2048 KiB)`)
if (problems.length > 0) {
  problems.forEach((p) => console.error(`weapp-report: ${p}`))
  process.exit(1)
}
