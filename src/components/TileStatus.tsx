import { View } from '@tarojs/components'
import { useCallback } from 'react'

export interface TileStatusProps {
  readonly text: string | null
  /** The tile failed: tapping the status retries. */
  readonly retryable: boolean
  readonly onRetry: () => void
}

/**
 * The status line over a tile's video (connecting, reconnecting, failed,
 * camera off). Always in the tree, blank while live and hidden by the tile's
 * `tile--no-status` class: removing it would make Taro re-send the tile's
 * children, the player's signed `src` included, at every state change. The
 * tap stays bound for the same reason (binding it later changes the node's
 * template) and retries only when the tile failed.
 */
export function TileStatus({ text, retryable, onRetry }: TileStatusProps) {
  const onClick = useCallback(() => {
    if (retryable) onRetry()
  }, [retryable, onRetry])
  return (
    <View className='tile__status' onClick={onClick}>
      {/* A space, not '': React drops an empty string, and its text node coming
          back would re-send the status's children instead of one text. */}
      {text ?? ' '}
    </View>
  )
}
