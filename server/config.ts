/**
 * Service configuration: read once from the environment (server/main.ts also
 * loads `.env` when present), validated with zod, and turned into a typed,
 * camel-cased object. An invalid or missing setting fails startup with one
 * line per problem naming the variable.
 */
import { isIP } from 'node:net'
import { z } from 'zod'
import { LIMITS } from '../src/core/protocol'
import { openFileLimit } from './open-files'

/** Thrown by {@link loadConfig}; `message` lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/**
 * The ffmpeg binary shipped in @ffmpeg-installer's platform package (so
 * `npm install` is the only setup step); `ffmpeg` on PATH where there is none.
 */
export function packagedFfmpeg(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path
  } catch {
    return 'ffmpeg'
  }
}

/** TRUST_PROXY as fastify's `trustProxy` takes it. */
export type TrustProxy = boolean | number | readonly string[]

function isAddressOrCidr(item: string): boolean {
  const [address, bits, ...rest] = item.split('/')
  const family = isIP(address ?? '')
  if (family === 0 || rest.length > 0) return false
  if (bits === undefined) return true
  const n = Number(bits)
  return /^[0-9]{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128)
}

const port = z.coerce.number().int().min(0).max(65535)
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const host = z.string().trim().min(1)
/** Signing keys: long enough not to be guessed. */
const key = z.string().min(16, 'must be at least 16 characters')
const optionalKey = z.preprocess((v) => (v === '' ? undefined : v), key.optional())
const appName = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1..32 of A-Z a-z 0-9 _ -')
const domain = z.string().regex(/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, 'must be a host name (optionally :port), no scheme or path')

const common = {
  HOST: host.default('127.0.0.1'),
  PORT: port.default(8787),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** HMAC key for session tokens; random per process when unset (tokens then die with the process, as the in-memory rooms do). */
  SESSION_SECRET: optionalKey,
  TOKEN_TTL_S: z.coerce.number().int().min(60).max(7 * 86400).default(12 * 3600),
  /** Lifetime of signed push/play URLs (Tencent recommends about a day). */
  MEDIA_URL_TTL_S: z.coerce.number().int().min(60).max(7 * 86400).default(86400),
  /** Maximum publishers (participants) per meeting. */
  CAPACITY: z.coerce.number().int().min(1).max(50).default(9),
  RESUME_GRACE_MS: ms(50, 120_000).default(30_000),
  HEARTBEAT_INTERVAL_MS: ms(20, 30_000).default(10_000),
  /** The issue caps the heartbeat timeout at 30 s. */
  HEARTBEAT_TIMEOUT_MS: ms(50, 30_000).default(25_000),
  /** A meeting nobody joined is dropped after this long. */
  EMPTY_MEETING_TTL_MS: ms(100, 86_400_000).default(10 * 60_000),
  MAX_FRAME_BYTES: z.coerce.number().int().min(256).max(1 << 20).default(4096),
  /**
   * Token bucket for frames: per participant once its socket said hello (a
   * reconnect to the same instance does not refill it), per socket before.
   * Sustained per second and burst.
   */
  WS_RATE_PER_S: z.coerce.number().min(0.1).max(10_000).default(20),
  WS_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(40),
  /** Chat lines per participant, on top of the frame budget: sustained per second and burst (docs/protocol.md §4.7). */
  CHAT_RATE_PER_S: z.coerce.number().min(0.01).max(10_000).default(1000 / LIMITS.chatRefillMs),
  CHAT_BURST: z.coerce.number().int().min(1).max(100_000).default(LIMITS.chatBurst),
  /**
   * Per client address, HTTP requests: sustained per minute and burst. Sized
   * for a meeting start behind one NAT: 50 people each creating or looking up
   * the meeting and joining (2-3 requests) within a minute, most in its first
   * seconds, with room for retries.
   */
  HTTP_RATE_PER_MIN: z.coerce.number().min(1).max(10_000_000).default(600),
  HTTP_RATE_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /**
   * Per client address, WebSocket opens (a bucket of their own, so joins do
   * not eat them): the same 50 people's first sockets plus a resume each
   * after a network change.
   */
  WS_OPEN_PER_MIN: z.coerce.number().min(1).max(10_000_000).default(300),
  WS_OPEN_BURST: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /**
   * Whose address the rate limits see behind a reverse proxy: off (default)
   * takes the TCP peer, so every attendee behind the proxy shares one bucket;
   * \`true\` trusts X-Forwarded-For from anyone (only when nothing else can
   * reach the port); a number trusts that many hops; a comma-separated list
   * of addresses or CIDRs (e.g. \`127.0.0.1,10.0.0.0/8\`) trusts those proxies.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, ctx): TrustProxy => {
      if (value === 'false') return false
      if (value === 'true') return true
      if (/^[0-9]{1,2}$/.test(value)) return Number(value)
      const list = value.split(',').map((item) => item.trim())
      const bad = list.filter((item) => !isAddressOrCidr(item))
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `must be false, true, a hop count or addresses/CIDRs; not ${bad.join(', ')}` })
        return z.NEVER
      }
      return list
    }),
  /**
   * Joins are refused (503 \`server_full\`) once open descriptors + OPEN_FILES_RESERVE
   * reach this; default: the process's \`ulimit -n\` (no check where it cannot be read).
   */
  MAX_OPEN_FILES: z.coerce.number().int().min(16).max(100_000_000).optional(),
  OPEN_FILES_RESERVE: z.coerce.number().int().min(1).max(1_000_000).default(32),
  /** Access-Control-Allow-Origin for the H5 build; empty disables CORS headers. */
  CORS_ORIGIN: z.string().default('*'),
  /** ffmpeg for browser publishing (the ingest relay, server/media/ingest.ts); a name on PATH or a path. */
  FFMPEG_PATH: z.string().trim().min(1).default(packagedFfmpeg()),
  /** Serve this H5 build (e.g. dist/h5) from the service's own origin (server/http/static.ts); unset: API only. */
  H5_DIR: z.string().trim().min(1).optional(),
  /** Share meetings with other instances through this Redis (docs/scale-out.md); unset: one process, in memory. */
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be redis://host:port (or rediss://)').optional(),
  /** With REDIS_URL: how long an instance that stopped beating counts as alive (its members wait this long, then their resume window). */
  INSTANCE_TTL_MS: ms(300, 60_000).default(3000),
}

const localMedia = z.object({
  MEDIA_PROVIDER: z.literal('local'),
  /** The embedded media server binds here (loopback by default). */
  MEDIA_BIND: host.default('127.0.0.1'),
  /** Host written into URLs; defaults to MEDIA_BIND. Set to a LAN address to reach it from a phone. */
  MEDIA_PUBLIC_HOST: host.optional(),
  /** 0 picks a free port. */
  RTMP_PORT: port.default(1935),
  HTTP_FLV_PORT: port.default(8000),
  MEDIA_APP: appName.default('live'),
  /** Random per process when unset. */
  MEDIA_PUSH_KEY: optionalKey,
  MEDIA_PLAY_KEY: optionalKey,
})

const tencentMedia = z.object({
  MEDIA_PROVIDER: z.literal('tencent-css'),
  TENCENT_PUSH_DOMAIN: domain,
  TENCENT_PLAY_DOMAIN: domain,
  TENCENT_APP_NAME: appName.default('live'),
  /** 推流防盗链 Key (required: push auth must be on for a meeting service). */
  TENCENT_PUSH_KEY: key,
  /** 播放鉴权 Key; play URLs are unsigned when unset (auth off on the play domain). */
  TENCENT_PLAY_KEY: optionalKey,
  TENCENT_PLAY_SCHEME: z.enum(['https', 'http']).default('https'),
})

/** TRTC (room://, server-issued UserSig): see server/media/trtc.ts and README "Production on Tencent Cloud". */
const trtcMedia = z.object({
  MEDIA_PROVIDER: z.literal('trtc'),
  /** SDKAppID of the TRTC application (控制台 → 应用管理). */
  TRTC_SDK_APP_ID: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'must be the numeric SDKAppID from the TRTC console, e.g. 1400000000')
    .transform(Number)
    .refine((n) => n <= 0xffffffff, 'must be the numeric SDKAppID from the TRTC console, e.g. 1400000000'),
  /** The application's SDK secret key (密钥), which signs UserSig and PrivateMapKey. */
  TRTC_SECRET_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be the application's 64-hex-digit SDK secret key from the TRTC console"),
  /** Tencent Cloud API key (访问管理 → API 密钥) for RemoveUserByStrRoomId / DismissRoomByStrRoomId. */
  TENCENTCLOUD_SECRET_ID: z.string().regex(/^AKID[0-9A-Za-z]{8,60}$/, 'must be a Tencent Cloud API SecretId (AKID…)'),
  TENCENTCLOUD_SECRET_KEY: z.string().regex(/^[0-9A-Za-z]{16,64}$/, 'must be the Tencent Cloud API SecretKey of that SecretId'),
  /** The TRTC API serves only these regions. */
  TRTC_API_REGION: z.enum(['ap-guangzhou', 'ap-beijing', 'ap-singapore']).default('ap-guangzhou'),
  /** Overridable for a proxy, or the loopback fake in tests. */
  TRTC_API_ENDPOINT: z.url({ protocol: /^https?$/ }).default('https://trtc.tencentcloudapi.com'),
})

const envSchema = z.intersection(
  z.object(common),
  z.discriminatedUnion('MEDIA_PROVIDER', [localMedia, tencentMedia, trtcMedia]),
)

export type LogLevel = z.infer<typeof common.LOG_LEVEL>

export interface LocalMediaConfig {
  readonly provider: 'local'
  readonly bind: string
  readonly publicHost: string
  readonly rtmpPort: number
  readonly httpFlvPort: number
  readonly app: string
  readonly pushKey: string | undefined
  readonly playKey: string | undefined
}

export interface TencentMediaConfig {
  readonly provider: 'tencent-css'
  readonly pushDomain: string
  readonly playDomain: string
  readonly app: string
  readonly pushKey: string
  readonly playKey: string | undefined
  readonly playScheme: 'https' | 'http'
}

export interface TrtcMediaConfig {
  readonly provider: 'trtc'
  readonly sdkAppId: number
  readonly secretKey: string
  readonly api: {
    readonly secretId: string
    readonly secretKey: string
    readonly region: 'ap-guangzhou' | 'ap-beijing' | 'ap-singapore'
    readonly endpoint: string
  }
}

export type MediaConfig = LocalMediaConfig | TencentMediaConfig | TrtcMediaConfig

export interface Config {
  readonly host: string
  readonly port: number
  readonly logLevel: LogLevel
  readonly sessionSecret: string | undefined
  readonly tokenTtlS: number
  readonly mediaUrlTtlS: number
  readonly capacity: number
  readonly resumeGraceMs: number
  readonly heartbeatIntervalMs: number
  readonly heartbeatTimeoutMs: number
  readonly emptyMeetingTtlMs: number
  readonly maxFrameBytes: number
  readonly wsRatePerS: number
  readonly wsRateBurst: number
  readonly chatRatePerS: number
  readonly chatBurst: number
  readonly httpRatePerMin: number
  readonly httpRateBurst: number
  readonly wsOpenPerMin: number
  readonly wsOpenBurst: number
  readonly trustProxy: TrustProxy
  /** MAX_OPEN_FILES, or the process's soft limit; undefined: unknown, no check. */
  readonly maxOpenFiles: number | undefined
  readonly openFilesReserve: number
  readonly corsOrigin: string
  readonly ffmpegPath: string
  /** H5_DIR: the H5 build to serve, or undefined. */
  readonly h5Dir?: string
  /** REDIS_URL, or undefined (meetings in memory). */
  readonly redisUrl?: string
  readonly instanceTtlMs: number
  readonly media: MediaConfig
}

/** Environment variables this module reads, for messages and docs. */
export type Env = Readonly<Record<string, string | undefined>>

/**
 * Validate the environment. Pure: pass `process.env` or a test's own record.
 * Empty strings count as unset.
 */
export function loadConfig(env: Env): Config {
  const input: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') input[name] = value
  }
  input.MEDIA_PROVIDER ??= 'local'
  const parsed = envSchema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.length > 0 ? String(issue.path[0]) : 'environment'
        const given = name in input ? ` (got ${JSON.stringify(redact(name, input[name]))})` : ' (not set)'
        return `${name}: ${issue.message}${given}`
      }),
    )
  }
  const e = parsed.data
  if (e.HEARTBEAT_INTERVAL_MS >= e.HEARTBEAT_TIMEOUT_MS) {
    throw new ConfigError([
      `HEARTBEAT_INTERVAL_MS (${e.HEARTBEAT_INTERVAL_MS}) must be below HEARTBEAT_TIMEOUT_MS (${e.HEARTBEAT_TIMEOUT_MS})`,
    ])
  }
  if (e.REDIS_URL !== undefined && e.SESSION_SECRET === undefined) {
    throw new ConfigError(['SESSION_SECRET: must be set when REDIS_URL is (every instance must accept the tokens of the others) (not set)'])
  }
  const media: MediaConfig =
    e.MEDIA_PROVIDER === 'local'
      ? {
          provider: 'local',
          bind: e.MEDIA_BIND,
          publicHost: e.MEDIA_PUBLIC_HOST ?? e.MEDIA_BIND,
          rtmpPort: e.RTMP_PORT,
          httpFlvPort: e.HTTP_FLV_PORT,
          app: e.MEDIA_APP,
          pushKey: e.MEDIA_PUSH_KEY,
          playKey: e.MEDIA_PLAY_KEY,
        }
      : e.MEDIA_PROVIDER === 'tencent-css'
        ? {
            provider: 'tencent-css',
            pushDomain: e.TENCENT_PUSH_DOMAIN,
            playDomain: e.TENCENT_PLAY_DOMAIN,
            app: e.TENCENT_APP_NAME,
            pushKey: e.TENCENT_PUSH_KEY,
            playKey: e.TENCENT_PLAY_KEY,
            playScheme: e.TENCENT_PLAY_SCHEME,
          }
        : {
            provider: 'trtc',
            sdkAppId: e.TRTC_SDK_APP_ID,
            secretKey: e.TRTC_SECRET_KEY,
            api: { secretId: e.TENCENTCLOUD_SECRET_ID, secretKey: e.TENCENTCLOUD_SECRET_KEY, region: e.TRTC_API_REGION, endpoint: e.TRTC_API_ENDPOINT },
          }
  return {
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    sessionSecret: e.SESSION_SECRET,
    tokenTtlS: e.TOKEN_TTL_S,
    mediaUrlTtlS: e.MEDIA_URL_TTL_S,
    capacity: e.CAPACITY,
    resumeGraceMs: e.RESUME_GRACE_MS,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    heartbeatTimeoutMs: e.HEARTBEAT_TIMEOUT_MS,
    emptyMeetingTtlMs: e.EMPTY_MEETING_TTL_MS,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    wsRatePerS: e.WS_RATE_PER_S,
    wsRateBurst: e.WS_RATE_BURST,
    chatRatePerS: e.CHAT_RATE_PER_S,
    chatBurst: e.CHAT_BURST,
    httpRatePerMin: e.HTTP_RATE_PER_MIN,
    httpRateBurst: e.HTTP_RATE_BURST,
    wsOpenPerMin: e.WS_OPEN_PER_MIN,
    wsOpenBurst: e.WS_OPEN_BURST,
    trustProxy: e.TRUST_PROXY,
    maxOpenFiles: e.MAX_OPEN_FILES ?? openFileLimit(),
    openFilesReserve: e.OPEN_FILES_RESERVE,
    corsOrigin: e.CORS_ORIGIN,
    ffmpegPath: e.FFMPEG_PATH,
    h5Dir: e.H5_DIR,
    redisUrl: e.REDIS_URL,
    instanceTtlMs: e.INSTANCE_TTL_MS,
    media,
  }
}

/** Never echo secrets into logs or error messages. */
function redact(name: string, value: string | undefined): string | undefined {
  return /KEY|SECRET|REDIS_URL/.test(name) ? '<redacted>' : value
}
