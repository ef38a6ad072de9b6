/**
 * What the build wrote into dist/weapp: Taro's generated base.wxml must bind
 * the live-media events to the page's event handler (`eh`), or WeChat never
 * calls the React props. live-pusher's `binderror` is not in Taro 4.2.1's
 * component table; config/plugins/live-pusher-binderror.ts adds it.
 *
 * Needs `npm run build:weapp` first (`npm run test:weapp` does both).
 */
import path from 'node:path'
import fs from 'node:fs'
import { DIST_DIR, distFile } from './harness'
import { allStartTags, startTags, type StartTag } from './wxml'

const baseWxml = (): string => distFile('base.wxml')

/** Attributes that make an element's events routable by Taro's `eh`: it looks the element up by id / data-sid. */
function expectRoutable(el: StartTag): void {
  expect(el.attrs.id).toBe('{{i.uid||i.sid}}')
  expect(el.attrs['data-sid']).toBe('{{i.sid}}')
}

describe('base.wxml', () => {
  it('parses: every tag well-formed, no attribute written twice', () => {
    const tags = allStartTags(baseWxml())
    expect(tags.length).toBeGreaterThan(100)
    expect(tags.filter((t) => t.duplicates.length).map((t) => `${t.tag}@${t.line}: ${t.duplicates.join(',')}`)).toEqual([])
  })

  it('<live-pusher> binds netstatus, statechange and error to eh', () => {
    const pushers = startTags(baseWxml(), 'live-pusher')
    expect(pushers.length).toBeGreaterThanOrEqual(1)
    for (const pusher of pushers) {
      expect(pusher.template).toMatch(/^tmpl_/)
      expect(pusher.attrs).toMatchObject({
        bindnetstatus: 'eh',
        bindstatechange: 'eh',
        binderror: 'eh',
      })
      expectRoutable(pusher)
      // The attributes the room page drives are data-bound (not dropped by Taro).
      for (const attr of ['url', 'mode', 'max-bitrate', 'min-bitrate', 'enable-camera', 'enable-mic', 'muted']) {
        expect(pusher.attrs[attr]).toMatch(/^\{\{.*\}\}$/)
      }
    }
  })

  it('<live-player> binds netstatus and statechange to eh', () => {
    const players = startTags(baseWxml(), 'live-player')
    expect(players.length).toBeGreaterThanOrEqual(1)
    for (const player of players) {
      expect(player.template).toMatch(/^tmpl_/)
      expect(player.attrs).toMatchObject({
        bindnetstatus: 'eh',
        bindstatechange: 'eh',
      })
      expectRoutable(player)
      for (const attr of ['src', 'mode', 'object-fit', 'muted']) {
        expect(player.attrs[attr]).toMatch(/^\{\{.*\}\}$/)
      }
    }
  })

  it('defines the root template the pages call, and loads its wxs helpers', () => {
    const tags = allStartTags(baseWxml())
    expect(tags.some((t) => t.tag === 'template' && t.attrs.name === 'taro_tmpl')).toBe(true)
    const wxs = tags.find((t) => t.tag === 'wxs' && t.attrs.module === 'xs')
    expect(wxs).toBeDefined()
    expect(fs.existsSync(path.join(DIST_DIR, wxs?.attrs.src ?? 'missing'))).toBe(true)
  })
})

describe('pages/room/index', () => {
  it('is a page of the app (in the main package or a subpackage, at the same route)', () => {
    const app = JSON.parse(distFile('app.json')) as { pages: string[]; subPackages?: { root: string; pages: string[] }[] }
    const routes = [...app.pages, ...(app.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`))]
    expect(routes).toContain('pages/room/index')
  })

  it('wxml imports base.wxml and renders its root template', () => {
    const tags = allStartTags(distFile('pages/room/index.wxml'))
    const imports = tags.filter((t) => t.tag === 'import').map((t) => t.attrs.src)
    expect(imports).toHaveLength(1)
    expect(path.resolve(DIST_DIR, 'pages/room', imports[0])).toBe(path.join(DIST_DIR, 'base.wxml'))
    const root = tags.find((t) => t.tag === 'template' && t.attrs.is === 'taro_tmpl')
    expect(root?.attrs.data).toBe('{{root:root}}')
  })

  it('json uses comp, which renders deep subtrees with the same base.wxml', () => {
    const json = JSON.parse(distFile('pages/room/index.json')) as { usingComponents?: Record<string, string> }
    const comp = json.usingComponents?.comp
    expect(comp).toBeDefined()
    const compPath = path.resolve(DIST_DIR, 'pages/room', comp ?? '')
    expect(compPath).toBe(path.join(DIST_DIR, 'comp'))
    const compImports = startTags(fs.readFileSync(`${compPath}.wxml`, 'utf8'), 'import').map((t) => t.attrs.src)
    expect(compImports.map((src) => path.resolve(DIST_DIR, src))).toEqual([path.join(DIST_DIR, 'base.wxml')])
  })
})
