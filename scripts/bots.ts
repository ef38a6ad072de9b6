/**
 * `npm run bots -- --meeting ID --count N [--service URL] [--name-prefix Bot] [--passcode P] [--chat]`
 *
 * Synthetic participants: each joins the meeting through the room service's
 * API as the app does, heartbeats, answers host actions, and publishes a
 * pre-encoded test pattern (its name and a clock) without re-encoding.
 * Ctrl-C: every bot leaves, then exit 0. See scripts/lib/bot.ts.
 */
import { parseArgs } from 'node:util'
import { FleetError, MAX_BOTS, startBots, type BotFleet } from './lib/bot'
import { ServiceError, normalizeServiceUrl } from './lib/service-api'

const USAGE = `Usage: npm run bots -- --meeting ID --count N [options]

  --meeting ID         the meeting to join (nine digits)
  --count N            how many bots, 1..${MAX_BOTS} (the meeting's capacity permitting)
  --service URL        the room service (default http://127.0.0.1:8787, or SERVICE_URL)
  --name-prefix TEXT   nicknames are "<TEXT> 1", "<TEXT> 2", … (default "Bot")
  --first N            number the bots from N (default 1), to add more bots to a meeting
  --passcode DIGITS    the meeting's passcode, if it has one
  --chat               each bot sends one greeting line to the chat after joining
  -h, --help           this text

Bot n publishes scripts/assets/bots/bot-<((n-1) mod 9)+1>.flv, whose picture says "Bot <that number>".
Ctrl-C makes every bot leave.`

class UsageError extends Error {}

interface CliOptions {
  readonly serviceUrl: string
  readonly meetingId: string
  readonly count: number
  readonly namePrefix: string
  readonly firstNumber: number
  readonly passcode: string | undefined
  readonly chat: boolean
}

function parse(argv: readonly string[]): CliOptions | 'help' {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        meeting: { type: 'string' },
        count: { type: 'string' },
        service: { type: 'string' },
        'name-prefix': { type: 'string' },
        first: { type: 'string' },
        passcode: { type: 'string' },
        chat: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help === true) return 'help'
  const meetingId = values.meeting?.trim()
  if (meetingId === undefined || meetingId === '') throw new UsageError('--meeting ID is required')
  if (values.count === undefined) throw new UsageError('--count N is required')
  const count = wholeNumber(values.count)
  if (count === null || count < 1 || count > MAX_BOTS) {
    throw new UsageError(`--count must be a whole number from 1 to ${MAX_BOTS} (got ${JSON.stringify(values.count)})`)
  }
  const firstNumber = values.first === undefined ? 1 : wholeNumber(values.first)
  if (firstNumber === null || firstNumber < 1) throw new UsageError(`--first must be a whole number from 1 (got ${JSON.stringify(values.first)})`)
  const namePrefix = values['name-prefix'] ?? 'Bot'
  if (namePrefix.trim() === '' || namePrefix.length > 24) throw new UsageError('--name-prefix must be 1 to 24 characters')
  let serviceUrl: string
  try {
    serviceUrl = normalizeServiceUrl(values.service ?? process.env.SERVICE_URL ?? 'http://127.0.0.1:8787')
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  return { serviceUrl, meetingId, count, namePrefix, firstNumber, passcode: values.passcode, chat: values.chat === true }
}

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

async function main(): Promise<number> {
  let options: CliOptions | 'help'
  try {
    options = parse(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`)
    return 2
  }
  if (options === 'help') {
    say(USAGE)
    return 0
  }

  let fleet: BotFleet | null = null
  let interrupted = false
  const starting = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      process.stderr.write('stopping without leaving\n')
      process.exit(130)
    }
    interrupted = true
    say(`\n${signal}: the bots are leaving…`)
    // Still joining: startBots makes the ones in leave, then returns here.
    if (fleet === null) {
      starting.abort()
      return
    }
    void fleet.stop().then(() => {
      say('all bots left')
      process.exit(0)
    })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  say(`Joining meeting ${options.meetingId} at ${options.serviceUrl} with ${options.count} bot(s)…`)
  try {
    fleet = await startBots({ ...options, log: say, signal: starting.signal })
  } catch (error) {
    if (interrupted) {
      say('all bots left')
      return 0
    }
    if (error instanceof FleetError || error instanceof ServiceError) {
      process.stderr.write(`${error.message}\n`)
      return 1
    }
    throw error
  }
  say(`${fleet.bots.length} bot(s) in meeting ${options.meetingId}: ${fleet.bots.map((b) => b.nickname).join(', ')}. Ctrl-C to make them leave.`)
  const ends = await fleet.allEnded
  if (interrupted) return new Promise<number>(() => {}) // the signal handler exits once they left
  say(`every bot stopped (${[...new Set(ends)].join(', ')})`)
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
