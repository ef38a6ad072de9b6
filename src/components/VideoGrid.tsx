import { Text, View } from '@tarojs/components'
import { useVideoGrid } from '../hooks/useVideoGrid'
import { RemoteTile } from './RemoteTile'

/** The remote participants, a page of at most 9 tiles at a time. */
export function VideoGrid() {
  const { layout, visibleIds, t, onPrevious, onNext } = useVideoGrid()
  return (
    <View className={`video-grid video-grid--${layout.columns}x${layout.rows}`}>
      {visibleIds.length === 0 ? (
        <View className='video-grid__empty'>
          <Text>{t.emptyRoom}</Text>
        </View>
      ) : (
        <View className='video-grid__tiles'>
          {visibleIds.map((id) => (
            <RemoteTile key={id} id={id} width={layout.tileWidth} height={layout.tileHeight} />
          ))}
        </View>
      )}
      {layout.pageCount > 1 && (
        <View className='video-grid__pager'>
          <View
            className={`video-grid__page-button${layout.page === 0 ? ' video-grid__page-button--disabled' : ''}`}
            onClick={onPrevious}
          >
            <Text>{t.previousPage}</Text>
          </View>
          <Text className='video-grid__page'>{t.pageOf(layout.page + 1, layout.pageCount)}</Text>
          <View
            className={`video-grid__page-button${layout.page >= layout.pageCount - 1 ? ' video-grid__page-button--disabled' : ''}`}
            onClick={onNext}
          >
            <Text>{t.nextPage}</Text>
          </View>
        </View>
      )}
    </View>
  )
}
