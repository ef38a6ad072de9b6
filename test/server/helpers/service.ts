/**
 * Start the room service for a test: loopback, free ports everywhere, logs
 * silent (set TEST_LOG_LEVEL=debug to see them), generous rate limits unless
 * a test asks otherwise.
 */
import { loadConfig, type Config, type Env } from '../../../server/config'
import { startService, type RunningService } from '../../../server/service'

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef'

const BASE_ENV: Env = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  SESSION_SECRET: TEST_SESSION_SECRET,
  WS_RATE_PER_S: '5000',
  WS_RATE_BURST: '5000',
  HTTP_RATE_PER_MIN: '600000',
  HTTP_RATE_BURST: '10000',
  WS_OPEN_PER_MIN: '600000',
  WS_OPEN_BURST: '10000',
}

/** The local provider on free ports with known keys. */
export const LOCAL_MEDIA_ENV: Env = {
  MEDIA_PROVIDER: 'local',
  MEDIA_BIND: '127.0.0.1',
  RTMP_PORT: '0',
  HTTP_FLV_PORT: '0',
  MEDIA_PUSH_KEY: 'test-push-key-0123456789',
  MEDIA_PLAY_KEY: 'test-play-key-0123456789',
}

/** URL signing only, no media server: for tests about rooms, not media. */
export const TENCENT_MEDIA_ENV: Env = {
  MEDIA_PROVIDER: 'tencent-css',
  TENCENT_PUSH_DOMAIN: 'push.example.com',
  TENCENT_PLAY_DOMAIN: 'play.example.com',
  TENCENT_PUSH_KEY: 'tencent-push-key-0123456789',
  TENCENT_PLAY_KEY: 'tencent-play-key-0123456789',
}

export function testConfig(env: Env = {}): Config {
  return loadConfig({ ...BASE_ENV, ...TENCENT_MEDIA_ENV, ...env })
}

export function startTestService(env: Env = {}): Promise<RunningService> {
  return startService(testConfig(env))
}
