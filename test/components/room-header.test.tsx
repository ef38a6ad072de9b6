import { act, render, screen } from '@testing-library/react'
import RoomPage from '../../src/packages/meeting/room/index'
import { RoomClient } from '../../src/services/room-client'
import { currentSession, endSession, startSession } from '../../src/services/session'
import { createMeetingStore, meetingStore } from '../../src/store'
import { renderCounts } from '../mocks/taro-components'
import Taro, { actionSheetAnswer, share } from '../mocks/taro'
import { resetAll } from './setup'

/**
 * The room header (meeting info, invite, audio route) on the room page,
 * against the real room service: the page's user hosts a meeting with two
 * real remote clients in it.
 */
const serviceUrl = process.env.TEST_SERVICE_URL as string
const others: RoomClient[] = []

beforeAll(() => {
  process.env.TARO_APP_SERVICE_URL = serviceUrl
})
beforeEach(resetAll)
afterEach(() => {
  others.splice(0).forEach((c) => c.dispose())
  endSession()
  // The route is the attendee's choice and survives a meeting; start each test from the default.
  meetingStore.setState({ audio: { route: 'speaker' } })
})

async function until(check: () => boolean, what: string): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > 4000) throw new Error(`timed out waiting for ${what}`)
    await act(() => new Promise((r) => setTimeout(r, 10)))
  }
}

async function hostedRoom(remotes: number) {
  await startSession({ nickname: 'Alice' })
  const meetingId = meetingStore.getState().session.meetingId as string
  for (let i = 1; i <= remotes; i++) {
    const client = new RoomClient({ serviceUrl, store: createMeetingStore() })
    others.push(client)
    await client.join(meetingId, { nickname: `R${i}` })
  }
  await until(() => meetingStore.getState().participants.order.length === remotes, 'the remote participants')
  const view = render(<RoomPage />)
  return { ...view, meetingId }
}

const grouped = (id: string) => `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`

test('the header shows the meeting id, who hosts, and a clock from 00:00', async () => {
  const { container, meetingId } = await hostedRoom(1)
  expect(screen.getByText(`会议号 ${grouped(meetingId)}`)).toBeInTheDocument()
  expect(screen.getByText('主持人：Alice (我)')).toBeInTheDocument()
  expect(container.querySelector('.room-header__clock')?.textContent).toBe('00:00')
})

test('when the host role moves, the header names the new host', async () => {
  await hostedRoom(1)
  const r1 = meetingStore.getState().participants.order[0]
  await act(async () => void (await currentSession()?.transferHost(r1)))
  await until(() => screen.queryByText('主持人：R1') !== null, 'the header to name R1')
})

test('the clock ticks once a second and re-renders nothing but its text (no player, no pusher)', async () => {
  const { container } = await hostedRoom(2)
  const media = () => [...renderCounts.entries()].filter(([k]) => k.startsWith('live-')).map(([k, n]) => `${k}=${n}`)
  const before = media()
  await until(() => container.querySelector('.room-header__clock')?.textContent === '00:01', 'the clock to read 00:01')
  expect(media()).toEqual(before)
})

test('the invite card opens this meeting’s pre-join, with the inviter’s name, and never the passcode', async () => {
  const { meetingId } = await hostedRoom(0)
  expect(share.handler).not.toBeNull()
  const card = share.handler?.() as { title: string; path: string }
  expect(card).toEqual({
    title: `Alice 邀请你加入会议 ${grouped(meetingId)}`,
    path: `/packages/meeting/prejoin/index?meetingId=${meetingId}`,
  })
  expect(JSON.stringify(card)).not.toMatch(/passcode/i)
})

test.each([
  [0, 'the meeting id', (id: string) => id],
  [1, 'the link to its pre-join', (id: string) => `${serviceUrl}/#/packages/meeting/prejoin/index?meetingId=${id}`],
])('tapping the meeting id and choosing item %i copies %s', async (tapIndex, _, expected) => {
  const { meetingId } = await hostedRoom(0)
  actionSheetAnswer.tapIndex = tapIndex
  await act(async () => screen.getByText(`会议号 ${grouped(meetingId)}`).click())
  expect(Taro.showActionSheet).toHaveBeenCalledWith({ itemList: ['复制会议号', '复制链接'] })
  expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: expected(meetingId) })
})

test('dismissing the copy sheet copies nothing', async () => {
  const { meetingId } = await hostedRoom(0)
  actionSheetAnswer.tapIndex = null
  await act(async () => screen.getByText(`会议号 ${grouped(meetingId)}`).click())
  expect(Taro.setClipboardData).not.toHaveBeenCalled()
})

test('a failed copy says so', async () => {
  const { meetingId } = await hostedRoom(0)
  ;(Taro.setClipboardData as jest.Mock).mockRejectedValueOnce({ errMsg: 'setClipboardData:fail' })
  await act(async () => screen.getByText(`会议号 ${grouped(meetingId)}`).click())
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '复制失败，请手动复制' }))
})

test('players play on the speaker by default; the toggle moves every player to the earpiece and back', async () => {
  const { container } = await hostedRoom(3)
  const modes = () => Array.from(container.querySelectorAll('live-player')).map((p) => p.getAttribute('sound-mode'))
  expect(modes()).toEqual(['speaker', 'speaker', 'speaker'])
  act(() => screen.getByText('扬声器').click())
  expect(modes()).toEqual(['ear', 'ear', 'ear'])
  expect(screen.getByText('听筒')).toBeInTheDocument()
  act(() => screen.getByText('听筒').click())
  expect(modes()).toEqual(['speaker', 'speaker', 'speaker'])
})

test('the route is kept for a player that mounts later (someone joins on the earpiece)', async () => {
  const { container, meetingId } = await hostedRoom(1)
  act(() => screen.getByText('扬声器').click())
  const client = new RoomClient({ serviceUrl, store: createMeetingStore() })
  others.push(client)
  await client.join(meetingId, { nickname: 'Late' })
  await until(() => container.querySelectorAll('live-player').length === 2, 'the second player')
  expect(Array.from(container.querySelectorAll('live-player')).map((p) => p.getAttribute('sound-mode'))).toEqual(['ear', 'ear'])
})
