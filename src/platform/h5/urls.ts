/**
 * Play URLs for the H5 player. Pure.
 *
 * The service hands out signed HTTP-FLV play URLs (what `<live-player>`
 * plays). A browser page holds at most 6 HTTP connections per host, so more
 * than 6 HTTP-FLV tiles stall (measured in Chromium); node-media-server serves
 * the same stream as WS-FLV on the same port and path, and WebSockets do not
 * count against that limit. The signature is in the query, which is kept.
 */

/**
 * The WS-FLV URL of an HTTP(S)-FLV play URL: `http:` → `ws:`, `https:` →
 * `wss:`, everything else (host, path, query with txSecret/txTime) unchanged.
 * A ws(s) URL is returned as is; null for anything else (rtmp://, garbage),
 * which a browser cannot play.
 */
export function wsFlvUrlOf(playUrl: string): string | null {
  const match = /^(https?|wss?):\/\/[^/?#]+/i.exec(playUrl.trim())
  if (match === null) return null
  const scheme = match[1].toLowerCase()
  const rest = playUrl.trim().slice(match[1].length)
  if (scheme === 'ws' || scheme === 'wss') return `${scheme}${rest}`
  return `${scheme === 'https' ? 'wss' : 'ws'}${rest}`
}
