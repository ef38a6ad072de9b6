/**
 * DEVELOPMENT FIXTURE — not part of the product.
 *
 * Until the room service exists, a development build made with
 * `TARO_APP_DEV_FIXTURE=1` fills the room with demo participants so the grid,
 * the tiles and the controls can be seen and tested. The room page requires
 * this module only inside `if (process.env.TARO_APP_DEV_FIXTURE === '1')`, so
 * a production build (without the variable) does not contain it.
 */
import type { RoomSource } from '../hooks/useRoomPage'
import type { ParticipantInfo } from '../store'

/** How many demo participants join: 4, or `?demo=N` on the room page (0–30). */
export function demoParticipants(count: number): ParticipantInfo[] {
  const n = Number.isFinite(count) ? Math.min(30, Math.max(0, Math.trunc(count))) : 4
  return Array.from({ length: n }, (_, i) => ({
    id: `demo-${i + 1}`,
    nickname: `Demo ${i + 1}`,
    role: 'participant' as const,
    micOn: i % 3 !== 2,
    cameraOn: i % 4 !== 3,
    playUrl: `rtmp://127.0.0.1:1935/live/demo-${i + 1}`,
  }))
}

export function fixtureRoom(count: number): RoomSource {
  return {
    join: ({ meetingId }) => ({
      self: { id: 'self', pushUrl: `rtmp://127.0.0.1:1935/live/${meetingId || 'demo'}-self` },
      participants: demoParticipants(count),
    }),
  }
}
