/**
 * Stream addresses as the statistics view may show them. Push and play URLs
 * carry credentials in their query (URL signing's txSecret/txTime, TRTC's
 * userSig and privateMapKey, our own token); a screenshot of the view must not
 * leak them. What stays readable is what a developer needs: the scheme, the
 * host and the stream name (the path's last segment).
 */

/** Query keys whose values are credentials, compared case-insensitively. */
export const SECRET_QUERY_KEYS: readonly string[] = Object.freeze([
  'txsecret',
  'txtime',
  'usersig',
  'privatemapkey',
  'token',
  'sign',
  'signature',
  'secret',
  'auth_key',
])

/** What a masked value is shown as. */
export const MASK = '***'

const SECRET = new Set(SECRET_QUERY_KEYS)

/**
 * `scheme://host/…/stream?key=***` — the path shortened to its last segment
 * (`…` marks the cut), credential values masked, other query values kept (a
 * room id, a user id are not secrets). Never throws: an address it cannot
 * read comes back as {@link MASK} rather than in full.
 */
export function redactStreamUrl(url: string): string {
  if (typeof url !== 'string' || url === '') return ''
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(url)
  if (match === null) return MASK
  const [, scheme, authority, path, query] = match
  // user:password@host → host: a credential too.
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority
  const segments = path.split('/').filter((p) => p !== '')
  const shortPath = segments.length === 0 ? '' : segments.length === 1 ? `/${segments[0]}` : `/…/${segments[segments.length - 1]}`
  if (query === undefined || query === '') return `${scheme}://${host}${shortPath}`
  const params = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const key = eq < 0 ? pair : pair.slice(0, eq)
      let name = key
      try {
        name = decodeURIComponent(key)
      } catch {
        // A malformed escape: judge the raw key.
      }
      if (eq < 0) return key
      return SECRET.has(name.toLowerCase()) ? `${key}=${MASK}` : pair
    })
  return `${scheme}://${host}${shortPath}?${params.join('&')}`
}
