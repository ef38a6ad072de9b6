import { act, render, screen, waitFor } from '@testing-library/react'
import RoomPage from '../../src/packages/meeting/room/index'
import { RoomClient } from '../../src/services/room-client'
import { endSession, startSession } from '../../src/services/session'
import { createMeetingStore, meetingStore, type MeetingStore } from '../../src/store'
import Taro, { modalAnswer } from '../mocks/taro'
import { fireInput, fireWeChatEvent } from '../mocks/wechat'
import { resetAll } from './setup'

/**
 * Chat, raised hands and the participant panel on the room page, against the
 * real room service of the component tests (default chat budget: a burst of
 * 5, then one a second). This page's user is the host; the others are real
 * room clients with their own stores. Events are shaped as WeChat delivers
 * them: taps, Input's `e.detail.value`, `confirm`.
 */
const serviceUrl = process.env.TEST_SERVICE_URL as string
const others: { client: RoomClient; store: MeetingStore; id: string }[] = []

beforeAll(() => {
  process.env.TARO_APP_SERVICE_URL = serviceUrl
})
beforeEach(resetAll)
afterEach(() => {
  others.splice(0).forEach((o) => o.client.dispose())
  endSession()
})

async function until(check: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await act(() => new Promise((r) => setTimeout(r, 10)))
  }
}

/** The page's user hosts a meeting with these others in it. */
async function hostRoomWith(names: readonly string[]) {
  await startSession({ nickname: '主持人' })
  const meetingId = meetingStore.getState().session.meetingId as string
  for (const nickname of names) {
    const store = createMeetingStore()
    const client = new RoomClient({ serviceUrl, store })
    await client.join(meetingId, { nickname })
    others.push({ client, store, id: client.participantId as string })
  }
  await until(() => meetingStore.getState().participants.order.length === names.length, 'everyone in')
  await until(() => meetingStore.getState().session.connection === 'connected', 'socket connected')
  return render(<RoomPage />)
}

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T & HTMLElement>(selector)
const $$ = (selector: string): HTMLElement[] => Array.from(document.querySelectorAll<HTMLElement>(selector))
const tap = (el: HTMLElement | null) => act(() => (el as HTMLElement).click())
const chatInput = () => $('.chat-panel__input') as HTMLElement
const sendTap = () => tap($('.chat-panel__send'))
const badge = () => $('.control-bar__badge')?.textContent ?? null
// The list is laid out column-reverse, newest first in the tree (see ChatPanel): read it oldest first.
const messageTexts = () => $$('.chat-panel__message').map((m) => m.querySelector('.chat-panel__text')?.textContent).reverse()

describe('chat panel', () => {
  test('typing shows the count; send puts the line in as pending, the echo makes it sent; the other side receives it', async () => {
    await hostRoomWith(['R1'])
    expect($('.chat-panel')).toBeNull()
    tap($('.control-bar__button--chat'))
    expect(screen.getByText('还没有消息，打个招呼吧')).toBeInTheDocument()
    fireInput(chatInput(), '  你好 R1  ')
    expect($('.chat-panel__counter')).toHaveTextContent('5/500')
    sendTap()
    expect(chatInput().getAttribute('value')).toBe('')
    expect($('.chat-panel__message--mine')).toHaveTextContent('你好 R1')
    await until(() => $('.chat-panel__message--mine.chat-panel__message--sent') !== null, 'the echo')
    await until(() => others[0].store.getState().chat.messages.length === 1, 'R1 receives')
    expect(others[0].store.getState().chat.messages[0]).toMatchObject({ text: '你好 R1', from: { nickname: '主持人', role: 'host' } })
    // The Input's confirm (the keyboard's send key) sends too.
    fireInput(chatInput(), 'second')
    fireWeChatEvent(chatInput(), 'confirm', { value: 'second' })
    await until(() => others[0].store.getState().chat.messages.length === 2, 'R1 receives the second')
  })

  test('a line from someone else shows their name and is not "mine"', async () => {
    await hostRoomWith(['R1'])
    tap($('.control-bar__button--chat'))
    others[0].client.sendChat('hi host')
    await until(() => $$('.chat-panel__message').length === 1, 'line shown')
    const line = $('.chat-panel__message') as HTMLElement
    expect(line.className).not.toContain('chat-panel__message--mine')
    expect(line.querySelector('.chat-panel__from')).toHaveTextContent('R1')
  })

  test('over 500 characters: the counter turns red, the box says so, and send sends nothing', async () => {
    await hostRoomWith(['R1'])
    tap($('.control-bar__button--chat'))
    fireInput(chatInput(), '字'.repeat(501))
    expect($('.chat-panel__counter--over')).toHaveTextContent('501/500')
    expect($('.chat-panel__error')).toHaveTextContent('消息最多 500 个字')
    expect($('.chat-panel__send--disabled')).not.toBeNull()
    sendTap()
    expect($$('.chat-panel__message')).toHaveLength(0)
    // Back within the limit, the error goes.
    fireInput(chatInput(), '字'.repeat(500))
    expect($('.chat-panel__error')).toBeNull()
  })

  test('past the chat budget the line fails with the reason; tapping it later sends it, once', async () => {
    await hostRoomWith(['R1'])
    tap($('.control-bar__button--chat'))
    for (let i = 1; i <= 6; i++) {
      fireInput(chatInput(), `line ${i}`)
      sendTap()
    }
    await until(() => $('.chat-panel__message--failed') !== null, 'the refusal')
    const failed = $('.chat-panel__message--failed') as HTMLElement
    expect(failed).toHaveTextContent('line 6')
    expect(failed).toHaveTextContent('发送太快了，请稍等再试 · 轻触重试')
    expect($('.chat-panel__error')).toHaveTextContent('发送太快了，请稍等再试')
    await act(() => new Promise((r) => setTimeout(r, 1100)))
    tap(failed)
    await until(() => $('.chat-panel__message--failed') === null && $$('.chat-panel__message--sent').length === 6, 'retried')
    await until(() => others[0].store.getState().chat.messages.length === 6, 'R1 has six')
    expect(others[0].store.getState().chat.messages.map((m) => m.text)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6'])
    expect(messageTexts()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6'])
  })

  test('the unread badge counts lines while the panel is closed, and opening resets it', async () => {
    await hostRoomWith(['R1'])
    expect(badge()).toBeNull()
    others[0].client.sendChat('one')
    others[0].client.sendChat('two')
    await until(() => badge() === '2', 'badge 2')
    tap($('.control-bar__button--chat'))
    expect(badge()).toBeNull()
    expect(messageTexts()).toEqual(['one', 'two'])
    others[0].client.sendChat('while open')
    await until(() => messageTexts().length === 3, 'third shown')
    expect(badge()).toBeNull()
    tap($('.chat-panel__close'))
    expect($('.chat-panel')).toBeNull()
    others[0].client.sendChat('after closing')
    await until(() => badge() === '1', 'badge 1')
    // The players stay mounted while a panel is open.
    tap($('.control-bar__button--chat'))
    expect(document.querySelectorAll('live-player')).toHaveLength(1)
  })
})

describe('raised hands', () => {
  test('the hand button raises the user’s hand for everyone; the button and the own tile follow the service', async () => {
    await hostRoomWith(['R1'])
    expect($('.control-bar__button--hand')?.getAttribute('aria-label')).toBe('举手')
    tap($('.control-bar__button--hand'))
    await until(() => $('.control-bar__button--active') !== null, 'button active')
    expect($('.control-bar__button--hand')?.getAttribute('aria-label')).toBe('放下手')
    expect($('.tile--local .tile__hand')).not.toBeNull()
    const self = meetingStore.getState().publisher.selfId as string
    await until(() => others[0].store.getState().participants.byId[self]?.handRaised === true, 'R1 sees it')
    tap($('.control-bar__button--hand'))
    await until(() => others[0].store.getState().participants.byId[self]?.handRaised === false, 'R1 sees it down')
    expect($('.tile--local .tile__hand')).toBeNull()
  })

  test('a remote raised hand shows on its tile and first in the panel; the host lowers it there and everyone sees it', async () => {
    const { container } = await hostRoomWith(['R1', 'R2'])
    await others[1].client.raiseHand(true)
    await until(() => container.querySelector(`[data-participant="${others[1].id}"] .tile__hand`) !== null, 'R2 tile ✋')
    tap(screen.getByText('成员 3'))
    const rows = $$('.participant-list__row')
    expect(rows[0]).toHaveTextContent('R2')
    expect(rows[0].className).toContain('participant-list__row--hand')
    expect(rows[1]).toHaveTextContent('主持人 (我)')
    tap(rows[0].querySelector<HTMLElement>('.participant-list__action--lower-hand'))
    await until(() => others[1].store.getState().chat.selfHandRaisedAt === null, 'R2 hand down')
    await until(() => others[0].store.getState().participants.byId[others[1].id]?.handRaised === false, 'R1 sees it down')
    await until(() => $('.participant-list__row--hand') === null, 'panel shows it down')
  })

  test('raised hands are listed oldest first, before the user; the host lowers all of them at once', async () => {
    await hostRoomWith(['R1', 'R2'])
    await others[0].client.raiseHand(true)
    await others[1].client.raiseHand(true)
    tap(screen.getByText('成员 3'))
    await until(() => $$('.participant-list__row--hand').length === 2, 'two hands')
    expect($$('.participant-list__row').map((r) => r.querySelector('.participant-list__name')?.textContent)).toEqual(['R1', 'R2', '主持人 (我)'])
    tap($('.participant-list__action--lower-all'))
    await until(() => $$('.participant-list__row--hand').length === 0, 'all down')
    expect(others.map((o) => o.store.getState().chat.selfHandRaisedAt)).toEqual([null, null])
  })
})

describe('participant panel', () => {
  test('up to 9 people there is no search box; past 9 it appears and filters by name, case- and width-insensitively, zh too', async () => {
    const names = ['Alice', 'bob', 'BOBBY', 'Ｃａｒｏｌ', '张伟', '张三', '李四', 'Dan']
    await hostRoomWith(names)
    tap(screen.getByText('成员 9'))
    expect($('.participant-list__search')).toBeNull()
    expect($$('.participant-list__row')).toHaveLength(9)
    tap($('.participant-list__close'))

    const store = createMeetingStore()
    const client = new RoomClient({ serviceUrl, store })
    await client.join(meetingStore.getState().session.meetingId as string, { nickname: 'Eve' })
    others.push({ client, store, id: client.participantId as string })
    await until(() => meetingStore.getState().participants.order.length === 9, 'tenth person')
    tap(screen.getByText('成员 10'))
    const search = $('.participant-list__search') as HTMLElement
    expect(search).not.toBeNull()
    const shown = () => $$('.participant-list__row .participant-list__name').map((n) => n.textContent)
    fireInput(search, 'BOB')
    expect(shown()).toEqual(['bob', 'BOBBY'])
    fireInput(search, 'carol')
    expect(shown()).toEqual(['Ｃａｒｏｌ'])
    fireInput(search, '张')
    expect(shown()).toEqual(['张伟', '张三'])
    fireInput(search, 'nobody')
    expect(shown()).toEqual([])
    expect(screen.getByText('没有符合的成员')).toBeInTheDocument()
    // The title counts everyone, whatever the filter.
    expect($('.participant-list__title')).toHaveTextContent('成员 (10)')
    fireInput(search, '  ')
    expect(shown()).toHaveLength(10)
  })

  test('the panel shows camera off, away and muted-by-host per row', async () => {
    await hostRoomWith(['R1'])
    const r1 = others[0]
    r1.store.getState().cameraToggled()
    r1.client.setAway(true)
    tap(screen.getByText('成员 2'))
    await until(() => $('.participant-list__tag--away') !== null && $('.participant-list__camera--off') !== null, 'away and camera off')
    tap($('.participant-list__action--mute'))
    await until(() => $('.participant-list__tag--muted') !== null, 'muted by host shown')
  })

  test('mute all asks first: cancelled, nobody is muted; confirmed, everyone else is', async () => {
    await hostRoomWith(['R1'])
    tap(screen.getByText('成员 2'))
    modalAnswer.confirm = false
    tap($('.participant-list__action--mute-all'))
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '确定将除你以外的所有人静音吗？' })))
    await act(() => new Promise((r) => setTimeout(r, 100)))
    expect(others[0].store.getState().publisher.mutedByHost).toBe(false)
    modalAnswer.confirm = true
    tap($('.participant-list__action--mute-all'))
    await until(() => others[0].store.getState().publisher.mutedByHost, 'R1 muted')
  })
})
