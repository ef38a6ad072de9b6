import { Text, View } from '@tarojs/components'

export interface TileStatusProps {
  readonly text: string | null
  /** Set when the tile failed: tapping the status retries. */
  readonly onRetry?: () => void
}

/** The status line over a tile's video (connecting, reconnecting, failed, camera off); nothing while live. */
export function TileStatus({ text, onRetry }: TileStatusProps) {
  if (text === null) return null
  return (
    <View className='tile__status' onClick={onRetry}>
      <Text>{text}</Text>
    </View>
  )
}
