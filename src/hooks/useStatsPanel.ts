import { useCallback } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { DecisionReason } from '../core/bitrate-controller'
import type { NetStatus, QualityLevel } from '../core/netstatus'
import { redactStreamUrl } from '../core/redact'
import { describeCode } from '../core/state-codes'
import type { Language, Strings } from '../i18n'
import { codeMessage } from '../i18n/state-codes'
import { meetingStore, selectPlayUrl, useMeeting, type NetworkEntry } from '../store'
import { useStrings } from './useStrings'

/** The code log shows this many, newest first (the store keeps DEBUG_LOG_LIMIT). */
export const STATS_LOG_LINES = 20

const REASON: { readonly [R in DecisionReason]: keyof Strings } = {
  init: 'reasonInit',
  hold: 'reasonHold',
  'cut-deficit': 'reasonCutDeficit',
  'cut-net-busy': 'reasonCutNetBusy',
  recover: 'reasonRecover',
}

const QUALITY: { readonly [Q in QualityLevel]: keyof Strings } = {
  good: 'qualityGood',
  fair: 'qualityFair',
  poor: 'qualityPoor',
  bad: 'qualityBad',
  unknown: 'qualityUnknown',
}

/** One stream's numbers as label/value pairs; a field the platform did not report is left out, never shown as 0. */
export function statsFields(status: NetStatus | undefined, t: Strings): readonly { label: string; value: string }[] {
  if (status === undefined) return []
  const out: { label: string; value: string }[] = []
  const add = (label: string, value: number | undefined, format: (v: number) => string) => {
    if (value !== undefined) out.push({ label, value: format(Math.round(value)) })
  }
  add(t.statsVideoBitrate, status.videoBitrate, t.statsKbps)
  add(t.statsAudioBitrate, status.audioBitrate, t.statsKbps)
  add(t.statsFps, status.videoFPS, t.statsFpsValue)
  if (status.videoWidth !== undefined && status.videoHeight !== undefined) {
    out.push({ label: t.statsResolution, value: `${status.videoWidth}×${status.videoHeight}` })
  }
  add(t.statsNetSpeed, status.netSpeed, t.statsKbps)
  add(t.statsJitter, status.netJitter, String)
  add(t.statsVideoCache, status.videoCache, String)
  add(t.statsAudioCache, status.audioCache, String)
  add(t.statsQualityLevel, status.netQualityLevel, String)
  return out
}

export interface StatsStream {
  readonly key: string
  readonly name: string
  /** The address with its credentials masked (core/redact.ts): never the signed URL in full. */
  readonly url: string
  readonly quality: string
  readonly fields: readonly { label: string; value: string }[]
}

function stream(key: string, name: string, url: string, entry: NetworkEntry | null | undefined, t: Strings): StatsStream {
  return {
    key,
    name,
    url: redactStreamUrl(url),
    quality: t[QUALITY[entry?.quality ?? 'unknown']] as string,
    fields: statsFields(entry?.status, t),
  }
}

/**
 * The statistics view's prop bag: every stream's latest netstatus (the store
 * keeps the last tick per stream, ~one per 2 s), the pusher's ceiling and the
 * controller's reason in words, the state-code log newest first. Mounted only
 * while the view is open, so a closed view costs no render and no setData.
 */
export function useStatsPanel() {
  const t = useStrings()
  const language: Language = useMeeting((s) => s.ui.language)
  const { publisher, network, order, byId, log } = useMeeting(
    useShallow((s) => ({
      publisher: s.publisher,
      network: s.network,
      order: s.participants.order,
      byId: s.participants.byId,
      log: s.ui.debugLog,
    })),
  )
  const playUrls = useMeeting(useShallow((s) => s.participants.order.map((id) => selectPlayUrl(id)(s))))
  const streams: StatsStream[] = [
    stream('self', `${publisher.nickname} · ${t.statsSelf}`, publisher.pushUrl, network.self, t),
    ...order.map((id, i) => stream(id, byId[id]?.nickname ?? id, playUrls[i] ?? '', network.byId[id], t)),
  ]
  const lines = log
    .slice(-STATS_LOG_LINES)
    .reverse()
    .map((entry, i) => {
      const message = codeMessage(describeCode(entry.source, entry.code), language)
      const unknown = entry.known ? '' : ` [${t.statsUnknownCode}]`
      return {
        key: `${entry.atMs}-${i}`,
        known: entry.known,
        text: `${entry.source} ${entry.subject}: ${entry.code} ${entry.name}${unknown} · ${message}`,
      }
    })
  const onClose = useCallback(() => meetingStore.getState().debugToggled(), [])
  return {
    t,
    ceiling: t.statsCeiling(publisher.minBitrateKbps, publisher.maxBitrateKbps),
    reason: t[REASON[publisher.controllerReason]] as string,
    streams,
    lines,
    onClose,
  }
}
