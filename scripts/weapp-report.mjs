#!/usr/bin/env node
// Checks a production weapp build (dist/weapp) against WeChat's 2 MB
// main-package limit and prints the size the README quotes. Exit code 1 when over.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const dist = path.resolve(process.argv[2] ?? 'dist/weapp')
const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024

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
console.log(`weapp output: ${total} bytes in ${files.length} files (${(total / 1024).toFixed(1)} KiB; limit 2048 KiB)`)
if (problems.length > 0) {
  problems.forEach((p) => console.error(`weapp-report: ${p}`))
  process.exit(1)
}
