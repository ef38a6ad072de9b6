import { Text, View } from '@tarojs/components'
import { useStatsPanel } from '../hooks/useStatsPanel'
import { PanelHeader } from './PanelHeader'

/**
 * Statistics (the ⓘ button): each stream's live numbers, the pusher's
 * bitrate ceiling and why, the state-code log. What a developer or a support
 * call reads on a real phone; addresses are shown without their credentials.
 */
export function StatsPanel() {
  const p = useStatsPanel()
  const { t } = p
  return (
    <View className='stats-panel'>
      <PanelHeader block='stats-panel' title={t.statsTitle} closeText={t.statsClose} onClose={p.onClose} />
      <Text className='stats-panel__ceiling'>{`${p.ceiling} · ${p.reason}`}</Text>
      {p.streams.map((s) => (
        <View key={s.key} className='stats-panel__stream' data-stream={s.key}>
          <Text className='stats-panel__name'>{`${s.name} · ${s.quality}`}</Text>
          <Text className='stats-panel__url'>{`${t.statsStream}: ${s.url}`}</Text>
          <View className='stats-panel__row'>
            {s.fields.length === 0 ? (
              <Text className='stats-panel__field'>{t.statsNoData}</Text>
            ) : (
              s.fields.map((f) => <Text key={f.label} className='stats-panel__field'>{`${f.label} ${f.value}`}</Text>)
            )}
          </View>
        </View>
      ))}
      <Text className='stats-panel__log-title'>{t.statsCodeLog}</Text>
      {p.lines.map((line) => (
        <Text key={line.key} className={`stats-panel__line${line.known ? '' : ' stats-panel__line--unknown'}`}>
          {line.text}
        </Text>
      ))}
    </View>
  )
}
