/** @jest-environment jsdom */
/**
 * The room header in the compiled mini program: the clock's tick is one small
 * setData that renders the clock alone (issue 10 item 10: "only the timer
 * text node changes"); the speaker/earpiece toggle reaches every player's
 * `sound-mode`; the share card is what WeChat gets from onShareAppMessage.
 */
import { isClockTick } from '../../bench/ui/measure'
import { observeSetData, unloadAll } from './harness'
import { countRenders } from './react-renders'
import { Others, openMeeting } from './meeting'

const others = new Others()

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

test('a clock tick is one setData of a few bytes, and renders the clock only', async () => {
  const { page } = await openMeeting(others, { remotes: 3 })
  await page.flush()
  const calls: Record<string, unknown>[] = []
  const stop = observeSetData((r) => calls.push(r.data))
  const renders = countRenders(page)
  const clock = () => page.get('.room-header__clock').text()
  const from = clock()
  await page.waitFor(() => clock() !== from, 'the clock to tick', { timeoutMs: 3000 })
  await page.flush()
  stop()
  const rendered = renders.take().map((r) => r.label)
  expect(calls.length).toBeGreaterThanOrEqual(1)
  // Nothing else happened on the page meanwhile: every call is the clock's, one key each.
  for (const data of calls) {
    expect(isClockTick(data)).toBe(true)
    expect(Object.keys(data)).toHaveLength(1)
    expect(Buffer.byteLength(JSON.stringify(data), 'utf8')).toBeLessThan(120)
  }
  expect(new Set(rendered)).toEqual(new Set(rendered.filter((l) => l.endsWith('.room-header__clock'))))
  expect(rendered.length).toBeGreaterThanOrEqual(1)
})

test('the header names the meeting and its host; the route toggle moves every player to the earpiece', async () => {
  const { page, room, meetingId } = await openMeeting(others, { remotes: 2, nickname: 'Alice' })
  const grouped = `${meetingId.slice(0, 3)} ${meetingId.slice(3, 6)} ${meetingId.slice(6)}`
  expect(page.get('.room-header__meeting-id').text()).toBe(`会议号 ${grouped}`)
  expect(page.get('.room-header__host').text()).toBe('主持人：Alice (我)')
  const modes = () => room.players().map((_p, i) => room.playerAttr(i, 'sound-mode'))
  expect(modes()).toEqual(['speaker', 'speaker'])
  await page.get('.room-header__action--route').tap()
  await page.flush()
  expect(modes()).toEqual(['ear', 'ear'])
  expect(page.get('.room-header__action--route').text()).toBe('听筒')
})

test('the invite button is a share button; the page’s onShareAppMessage returns the card for the pre-join, without the passcode', async () => {
  const { page, meetingId } = await openMeeting(others, { remotes: 0, nickname: 'Alice' })
  expect(page.get('.room-header__action--invite').attr('open-type')).toBe('share')
  const onShare = (page.instance as unknown as { onShareAppMessage?: (o: object) => unknown }).onShareAppMessage
  expect(typeof onShare).toBe('function')
  const card = onShare?.call(page.instance, { from: 'button' }) as { title: string; path: string }
  const grouped = `${meetingId.slice(0, 3)} ${meetingId.slice(3, 6)} ${meetingId.slice(6)}`
  expect(card).toMatchObject({ title: `Alice 邀请你加入会议 ${grouped}`, path: `/packages/meeting/prejoin/index?meetingId=${meetingId}` })
})
