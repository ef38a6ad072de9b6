/**
 * The room service: the build's `TARO_APP_SERVICE_URL`; else, in the browser,
 * the page's own origin (the service serves the H5 app); else the local default.
 */
export function serviceUrl(): string {
  if (process.env.TARO_APP_SERVICE_URL) return process.env.TARO_APP_SERVICE_URL
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') return window.location.origin
  return 'http://127.0.0.1:8787'
}
