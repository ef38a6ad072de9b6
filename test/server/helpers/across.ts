/** Members for tests with several instances sharing meetings; every client opened is recorded in `opened` for the test's cleanup. */
import { enter, type Member, type ServiceAddress, type TestClient } from './client'
import { createMeeting } from './http'

export function membersOf(opened: TestClient[]) {
  async function member(on: ServiceAddress, meetingId: string, nickname: string, hostKey?: string): Promise<Member> {
    const m = await enter(on, meetingId, { nickname, hostKey })
    opened.push(m.client)
    return m
  }

  /** A meeting created on `a` with its host on `a` and a guest on `b`. */
  async function meetingAcross(a: ServiceAddress, b: ServiceAddress): Promise<{ meetingId: string; host: Member; guest: Member }> {
    const { meetingId, hostKey } = await createMeeting(a.url)
    const host = await member(a, meetingId, 'Host', hostKey)
    const guest = await member(b, meetingId, 'Guest')
    return { meetingId, host, guest }
  }

  return { member, meetingAcross }
}
