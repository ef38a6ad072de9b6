/**
 * Keys must never reach a client. The client builds run with the `trtc`
 * provider's secrets set to these recognisable values
 * (`tsx scripts/secret-sentinels.ts run <command…>`), and the output is then
 * searched for them and for the names of the server's secret variables
 * (`tsx scripts/secret-sentinels.ts check <dist dir>…`), which would mean
 * server configuration code got bundled. `npm run test:weapp` does this for
 * dist/weapp and `npm run test:e2e` for dist/h5.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/** Valid-looking values (they pass server/config.ts), found nowhere else. */
export const SECRET_SENTINELS = {
  MEDIA_PROVIDER: 'trtc',
  TRTC_SDK_APP_ID: '1400000000',
  TRTC_SECRET_KEY: 'c0ffee5e17e1c0ffee5e17e1c0ffee5e17e1c0ffee5e17e1c0ffee5e17e1abcd',
  TENCENTCLOUD_SECRET_ID: 'AKIDSentinelNeverInAClient00000000',
  TENCENTCLOUD_SECRET_KEY: 'SentinelApiKeyNeverInAClient0000',
} as const

/** What must not appear in a client build: the sentinel secrets, and the variable names that hold them. */
export const FORBIDDEN = [
  SECRET_SENTINELS.TRTC_SECRET_KEY,
  SECRET_SENTINELS.TENCENTCLOUD_SECRET_ID,
  SECRET_SENTINELS.TENCENTCLOUD_SECRET_KEY,
  'TRTC_SECRET_KEY',
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_SECRET_ID',
  'MEDIA_PUSH_KEY',
  'TENCENT_PUSH_KEY',
  'SESSION_SECRET',
] as const

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

export interface Finding {
  readonly file: string
  readonly found: string
}

/** Every forbidden string in every file under the given directories (binary files included, read as latin1). */
export function findSecrets(dirs: readonly string[], forbidden: readonly string[] = FORBIDDEN): Finding[] {
  const findings: Finding[] = []
  for (const dir of dirs) {
    for (const file of files(dir)) {
      const text = readFileSync(file).toString('latin1')
      for (const value of forbidden) if (text.includes(value)) findings.push({ file, found: value })
    }
  }
  return findings
}

function main(argv: readonly string[]): number {
  const [mode, ...rest] = argv
  if (mode === 'run' && rest.length > 0) {
    const result = spawnSync(rest[0], rest.slice(1), { stdio: 'inherit', env: { ...process.env, ...SECRET_SENTINELS } })
    return result.status ?? 1
  }
  if (mode === 'check' && rest.length > 0) {
    const findings = findSecrets(rest)
    for (const f of findings) console.error(`secret-sentinels: ${f.file} contains ${JSON.stringify(f.found)}`)
    if (findings.length > 0) return 1
    console.log(`secret-sentinels: no server secret in ${rest.join(', ')}`)
    return 0
  }
  console.error('usage: tsx scripts/secret-sentinels.ts run <command…> | check <dir…>')
  return 2
}

if (require.main === module) process.exit(main(process.argv.slice(2)))
