import type { ParticipantInfo } from '../../../src/store'

export function info(id: string, patch: Partial<ParticipantInfo> = {}): ParticipantInfo {
  return {
    id,
    nickname: `Name ${id}`,
    role: 'participant',
    micOn: true,
    cameraOn: true,
    mutedByHost: false,
    playUrl: `rtmp://127.0.0.1/live/${id}`,
    ...patch,
  }
}

export function infos(n: number): ParticipantInfo[] {
  return Array.from({ length: n }, (_, i) => info(`p${i + 1}`))
}
