import { Text, View } from '@tarojs/components'
import { useShallow } from 'zustand/react/shallow'
import { useMeeting } from '../store'
import { useStrings } from '../hooks/useStrings'

/** The last state codes, unknown ones marked: what a developer reads on a real phone. */
export function DebugPanel() {
  const t = useStrings()
  const { log, maxBitrate, reason } = useMeeting(
    useShallow((s) => ({
      log: s.ui.debugLog,
      maxBitrate: s.publisher.maxBitrateKbps,
      reason: s.publisher.controllerReason,
    })),
  )
  return (
    <View className='debug-panel'>
      <Text className='debug-panel__title'>{`${t.debugTitle} · max-bitrate ${maxBitrate} kbps (${reason})`}</Text>
      {log
        .slice(-20)
        .reverse()
        .map((entry, i) => (
          <Text key={`${entry.atMs}-${i}`} className={`debug-panel__line${entry.known ? '' : ' debug-panel__line--unknown'}`}>
            {`${entry.source} ${entry.subject}: ${entry.code} ${entry.name}`}
          </Text>
        ))}
    </View>
  )
}
