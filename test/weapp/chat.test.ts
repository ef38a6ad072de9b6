/** @jest-environment jsdom */
/**
 * Chat and raised hands in the compiled mini program (dist/weapp through
 * miniprogram-simulate), between the page's user and other attendees (the
 * app's room client in Node) through the test run's real room service: a
 * line arrives and counts on the unread badge while the panel is closed, the
 * page's user sends one with WeChat's `input` and `tap` events, a late joiner
 * sees the history, and a raised hand shows on the tile and in the panel.
 */
import { unloadAll, waitFor, type PageHandle, type WeappNode } from './harness'
import { enterRoom, Others, openMeeting } from './meeting'

const others = new Others()
let page: PageHandle

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

const badge = (): string | undefined => page.find('.control-bar__badge')?.text().trim()
const chatButton = (): WeappNode => page.get('.control-bar__button--chat')
// Newest first in the tree (column-reverse, see ChatPanel): read oldest first.
const lines = (): string[] => page.findAll('.chat-panel__message .chat-panel__text').map((n) => n.text().trim()).reverse()

test('a line from another attendee arrives, counts on the badge while closed; the page’s user answers and the other receives it', async () => {
  const meeting = await openMeeting(others, { remotes: 1 })
  page = meeting.page
  const [r1] = meeting.remotes
  expect(badge()).toBeUndefined()
  r1.client.sendChat('你好，主持人')
  await page.waitFor(() => badge() === '1', 'the unread badge')
  r1.client.sendChat('second')
  await page.waitFor(() => badge() === '2', 'the badge to count two')

  await chatButton().tap()
  await page.waitFor(() => lines().length === 2, 'the lines in the panel')
  expect(lines()).toEqual(['你好，主持人', 'second'])
  expect(page.get('.chat-panel__message .chat-panel__from').text()).toContain('R1')
  expect(badge()).toBeUndefined()
  // The players stay mounted under the panel.
  expect(meeting.room.players()).toHaveLength(1)

  const input = page.get('input.chat-panel__input')
  await input.dispatch('input', { value: 'Hi R1', cursor: 5, keyCode: 0 })
  expect(page.get('.chat-panel__counter').text().trim()).toBe('5/500')
  await page.get('.chat-panel__send').tap()
  await waitFor(() => r1.store.getState().chat.messages.some((m) => m.text === 'Hi R1'), 'R1 to receive the answer')
  await page.waitFor(() => page.find('.chat-panel__message--mine.chat-panel__message--sent') !== undefined, 'the own line confirmed')
  expect(r1.store.getState().chat.messages.find((m) => m.text === 'Hi R1')?.from.nickname).toBe('主持人')
})

test('a late joiner opens the chat and sees what was said before it came', async () => {
  const { meetingId, host } = await others.createMeeting('R1')
  host.client.sendChat('before you came')
  await waitFor(() => host.store.getState().chat.messages[0]?.status === 'sent', 'the first line sent')
  const r2 = await others.join(meetingId, 'R2')
  r2.client.sendChat('me too')
  await waitFor(() => host.store.getState().chat.messages.length === 2, 'the second line')

  const entered = await enterRoom({ nickname: '迟到者', meetingId })
  page = entered.page
  expect(entered.welcome.chat?.map((l) => l.text)).toEqual(['before you came', 'me too'])
  await chatButton().tap()
  await page.waitFor(() => lines().length === 2, 'the history in the panel')
  expect(lines()).toEqual(['before you came', 'me too'])
  // History is not news: no badge.
  expect(badge()).toBeUndefined()
})

test('a raised hand shows on the remote tile and first in the participant panel', async () => {
  const meeting = await openMeeting(others, { remotes: 2 })
  page = meeting.page
  await meeting.remotes[1].client.raiseHand(true)
  await page.waitFor(() => page.find('.video-grid .tile__hand') !== undefined, 'the ✋ on the tile')
  const people = page.findAll('.control-bar__button').find((b) => b.text().trim() === '成员 3')
  await people?.tap()
  await page.waitFor(() => page.findAll('.participant-list__row').length === 3, 'the panel')
  expect(page.findAll('.participant-list__row')[0].text()).toContain('R2')
  await page.findAll('.participant-list__action--lower-hand')[0].tap()
  await waitFor(() => meeting.remotes[1].store.getState().chat.selfHandRaisedAt === null, 'R2’s hand lowered by the page’s host')
  await page.waitFor(() => page.find('.video-grid .tile__hand') === undefined, 'the ✋ gone')
})
