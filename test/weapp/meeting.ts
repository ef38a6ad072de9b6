/**
 * The meeting flow on the compiled app, against the room service of the test
 * run (global-setup.ts), with only the WeChat client faked:
 *
 * - `homeDriver(page)` types into the home form (WeChat `input` events with
 *   `detail.value`) and taps its buttons;
 * - `preJoinDriver(page)` does the same on the pre-join page (toggles, 进入会议);
 * - `enterRoom()` goes home → nickname (→ meeting id) → 发起会议 / 加入会议 →
 *   the pre-join page (opened with the URL home navigated to) → 开始会议 /
 *   进入会议, waits for the app to create / join the meeting on the service
 *   and call `wx.redirectTo`, then opens the room page with that URL's query
 *   in the same app (so the session the pre-join started carries over, as in WeChat);
 * - `Others` are the other participants: the app's own room client
 *   (src/services/room-client.ts) run in Node, each with its own store, over
 *   real HTTP and WebSockets (test/mocks/taro-node.ts).
 */
import { PAGE_SIZES } from '../../src/core/grid-layout'
import type { ParticipantView, SessionSnapshot, WelcomeMessage } from '../../src/core/protocol'
import { RoomClient } from '../../src/services/room-client'
import { createMeetingStore, type MeetingStore } from '../../src/store'
import type { FakeSocketTask } from './fake-wx'
import { loadPage, SERVICE_URL, type PageHandle, type WeappNode } from './harness'
import { roomDriver, type RoomDriver } from './room-driver'

export { SERVICE_URL }

export interface HomeDriver {
  nicknameInput(): WeappNode
  meetingIdInput(): WeappNode
  /** An `input` event on the nickname field, as WeChat sends it: `{ value, cursor, keyCode }`. */
  typeNickname(value: string): Promise<void>
  typeMeetingId(value: string): Promise<void>
  /** Tap 发起会议. */
  tapCreate(): Promise<void>
  /** Tap 加入会议. */
  tapJoin(): Promise<void>
  /** The error the form shows, if any. */
  error(): string | undefined
  /** Whether the form shows that it is joining. */
  busy(): boolean
}

export function homeDriver(page: PageHandle): HomeDriver {
  const type = (node: WeappNode, value: string) => node.dispatch('input', { value, cursor: value.length, keyCode: 0 })
  const driver: HomeDriver = {
    nicknameInput: () => page.get('input.home__input--nickname'),
    meetingIdInput: () => page.get('input.home__input--meeting-id'),
    typeNickname: (value) => type(driver.nicknameInput(), value),
    typeMeetingId: (value) => type(driver.meetingIdInput(), value),
    tapCreate: () => page.get('.home__button--create').tap(),
    tapJoin: () => page.get('.home__button--join').tap(),
    error: () => page.find('.home__error')?.text(),
    busy: () => page.find('.home__busy') !== undefined,
  }
  return driver
}

export interface PreJoinDriver {
  nicknameInput(): WeappNode
  typeNickname(value: string): Promise<void>
  typePasscode(value: string): Promise<void>
  tapMic(): Promise<void>
  tapCamera(): Promise<void>
  tapFlip(): Promise<void>
  /** Tap 进入会议 (开始会议 for a new meeting). */
  tapJoin(): Promise<void>
  error(): string | undefined
  busy(): boolean
}

export function preJoinDriver(page: PageHandle): PreJoinDriver {
  const type = (node: WeappNode, value: string) => node.dispatch('input', { value, cursor: value.length, keyCode: 0 })
  return {
    nicknameInput: () => page.get('input.prejoin__input--nickname'),
    typeNickname: (value) => type(page.get('input.prejoin__input--nickname'), value),
    typePasscode: (value) => type(page.get('input.prejoin__input--passcode'), value),
    tapMic: () => page.get('.prejoin__toggle--mic').tap(),
    tapCamera: () => page.get('.prejoin__toggle--camera').tap(),
    tapFlip: () => page.get('.prejoin__toggle--flip').tap(),
    tapJoin: () => page.get('.prejoin__button--join').tap(),
    error: () => page.find('.prejoin__error')?.text(),
    busy: () => page.find('.prejoin__busy') !== undefined,
  }
}

/** The route and query of a navigation's url. */
function routeOf(url: string): { route: string; query: Record<string, string> } {
  const [route, search = ''] = url.split('?')
  return { route, query: Object.fromEntries(new URLSearchParams(search).entries()) }
}

/** Home → 发起会议 / 加入会议 → the pre-join page home opened (navigateTo), loaded with its query. */
export async function openPreJoin(options: { nickname: string; meetingId?: string }): Promise<{ home: PageHandle; page: PageHandle }> {
  const home = await loadPage('pages/home/index')
  const form = homeDriver(home)
  const wx = home.wx
  const navigationsBefore = wx.navigations.length
  await form.typeNickname(options.nickname)
  if (options.meetingId !== undefined) await form.typeMeetingId(options.meetingId)
  await (options.meetingId === undefined ? form.tapCreate() : form.tapJoin())
  await home.waitFor(() => wx.navigations.length > navigationsBefore || form.error() !== undefined, 'the home page to open the pre-join')
  const navigation = wx.navigations[navigationsBefore]
  if (!navigation) throw new Error(`the home page did not open the pre-join; it says: ${form.error()}`)
  if (navigation.api !== 'navigateTo' || !navigation.url) throw new Error(`unexpected navigation ${JSON.stringify(navigation)}`)
  const { route, query } = routeOf(navigation.url)
  await home.hide()
  return { home, page: await loadPage(route, query) }
}

export interface EnteredRoom {
  readonly home: PageHandle
  /** The pre-join page (unloaded: the room replaced it). */
  readonly preJoin: PageHandle
  /** The room page. */
  readonly page: PageHandle
  readonly room: RoomDriver
  readonly meetingId: string
  /** The page user's socket (the session's). */
  readonly socket: FakeSocketTask
  /** The `welcome` the page user got on it. */
  readonly welcome: WelcomeMessage
  /** The page user's participant id. */
  readonly selfId: string
}

/** The frames of a socket of the app, parsed, of one type. */
export function framesOf<T extends { type: string }>(frames: unknown[], type: T['type']): T[] {
  return frames.filter((m): m is T => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type)
}

/** What the app sent on a socket, parsed. */
export function sentFrames(socket: FakeSocketTask): unknown[] {
  return socket.sent.flatMap((s) => {
    try {
      return [JSON.parse(String(s)) as unknown]
    } catch {
      return []
    }
  })
}

/**
 * Open the home page and type `nickname` (and `meetingId`), tap 发起会议
 * (without meetingId) or 加入会议, wait until the app navigates to the room,
 * and open the room page with that URL's query. Fails with the form's error
 * when the app does not navigate.
 */
export async function enterRoom(options: { nickname: string; meetingId?: string; before?: (preJoin: PreJoinDriver) => Promise<void> }): Promise<EnteredRoom> {
  const { home, page: preJoin } = await openPreJoin(options)
  const form = preJoinDriver(preJoin)
  const wx = preJoin.wx
  // The pre-join asks for camera and microphone as it opens; let that settle.
  await preJoin.flush()
  if (options.before !== undefined) await options.before(form)
  const navigationsBefore = wx.navigations.length
  const socketsBefore = wx.sockets.length
  await form.tapJoin()
  await preJoin.waitFor(
    () => wx.navigations.length > navigationsBefore || (!form.busy() && form.error() !== undefined),
    'the pre-join page to open the room',
  )
  const navigation = wx.navigations[navigationsBefore]
  if (!navigation) throw new Error(`the pre-join page did not open the room; it says: ${form.error()}`)
  if (navigation.api !== 'redirectTo' || !navigation.url) throw new Error(`unexpected navigation ${JSON.stringify(navigation)}`)
  const { route, query } = routeOf(navigation.url)

  const socket = wx.sockets[wx.sockets.length - 1]
  if (!socket || wx.sockets.length === socketsBefore) throw new Error('the app navigated to the room without opening a socket')
  const welcome = framesOf<WelcomeMessage>(socket.messages(), 'welcome')[0]
  if (!welcome) throw new Error('the app navigated to the room before the service welcomed it')

  // redirectTo unloads the pre-join (its pusher lets the camera go), then WeChat opens the room.
  await preJoin.unload()
  const page = await loadPage(route, query)
  return { home, preJoin, page, room: roomDriver(page), meetingId: welcome.meeting.id, socket, welcome, selfId: welcome.participantId }
}

/** Another participant: the app's room client in Node, with its own store. */
export interface RemoteParticipant {
  readonly nickname: string
  readonly client: RoomClient
  readonly store: MeetingStore
  readonly id: string
  /** Its signed play URL, as the service gave it. */
  readonly playUrl: string
  readonly snapshot: SessionSnapshot
}

/** The other participants of a test; `dispose()` them in afterEach. */
export class Others {
  readonly all: RemoteParticipant[] = []

  /** `serviceUrl`: the room service they use (the run's by default; the trtc scenario has its own). */
  constructor(private readonly serviceUrl: string = SERVICE_URL) {}

  /** Create a meeting and join it as its host (another phone). */
  async createMeeting(hostNickname: string): Promise<{ meetingId: string; host: RemoteParticipant }> {
    const { meetingId, hostKey } = await RoomClient.createMeeting(this.serviceUrl)
    const host = await this.join(meetingId, hostNickname, hostKey)
    return { meetingId, host }
  }

  /** Join over HTTP and open the socket, as the app does; resolves once welcomed. */
  async join(meetingId: string, nickname: string, hostKey?: string): Promise<RemoteParticipant> {
    const store = createMeetingStore()
    const client = new RoomClient({ serviceUrl: this.serviceUrl, store })
    const snapshot = await client.join(meetingId, { nickname, hostKey })
    const self = snapshot.participants.find((p: ParticipantView) => p.id === snapshot.participantId)
    if (!self) throw new Error(`join of ${nickname}: the snapshot does not list the participant itself`)
    const participant: RemoteParticipant = { nickname, client, store, id: snapshot.participantId, playUrl: self.playUrl, snapshot }
    this.all.push(participant)
    if (store.getState().session.connection !== 'connected') throw new Error(`${nickname} joined but its socket is not connected`)
    return participant
  }

  /** Stop every client (sockets closed; the service drops them after its grace period). */
  dispose(): void {
    for (const p of this.all.splice(0)) p.client.dispose()
  }
}

/**
 * A room with the page's user in it and `remotes` other participants (named
 * R1, R2… in join order), until the page shows a tile for each (at most 9:
 * one page of the grid).
 *
 * - `host`: the page's user creates the meeting on the home page (发起会议),
 *   then the others join.
 * - `participant`: R1 creates the meeting and is its host, R2… join, then the
 *   page's user joins it on the home page (加入会议).
 */
export async function openMeeting(
  others: Others,
  {
    remotes,
    role = 'host',
    nickname,
    pageSize = PAGE_SIZES.phone.portrait,
  }: { remotes: number; role?: 'host' | 'participant'; nickname?: string; pageSize?: number },
): Promise<EnteredRoom & { remotes: RemoteParticipant[] }> {
  let entered: EnteredRoom
  const joined: RemoteParticipant[] = []
  if (role === 'host') {
    entered = await enterRoom({ nickname: nickname ?? '主持人' })
    for (let i = 1; i <= remotes; i++) joined.push(await others.join(entered.meetingId, `R${i}`))
  } else {
    if (remotes < 1) throw new Error('a participant needs a host: remotes >= 1')
    const { meetingId, host } = await others.createMeeting('R1')
    joined.push(host)
    for (let i = 2; i <= remotes; i++) joined.push(await others.join(meetingId, `R${i}`))
    entered = await enterRoom({ nickname: nickname ?? '参会者', meetingId })
  }
  // The fake client is a 390 px wide phone held upright (a page of 4 players) unless the file made it a tablet.
  const shown = Math.min(remotes, pageSize)
  await entered.page.waitFor(() => entered.room.players().length === shown, `${shown} remote tile(s)`)
  return { ...entered, remotes: joined }
}
