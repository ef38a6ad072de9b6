/** The service's settings for the bench: limits lifted (by configuration, as a deployment would), signing only, no media server. */
export const SERVICE_ENV = {
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
  MEDIA_PROVIDER: 'tencent-css',
  TENCENT_PUSH_DOMAIN: 'push.example.com',
  TENCENT_PLAY_DOMAIN: 'play.example.com',
  TENCENT_PUSH_KEY: 'bench-push-key-0123456789',
  TENCENT_PLAY_KEY: 'bench-play-key-0123456789',
  HTTP_RATE_PER_MIN: '1000000',
  HTTP_RATE_BURST: '100000',
  WS_OPEN_PER_MIN: '1000000',
  WS_OPEN_BURST: '100000',
  WS_RATE_PER_S: '1000',
  WS_RATE_BURST: '1000',
}

