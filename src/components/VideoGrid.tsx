import { Text, View } from '@tarojs/components'
import { memo } from 'react'
import { useVideoGrid } from '../hooks/useVideoGrid'
import { RemoteTile } from './RemoteTile'

/**
 * The remote participants, a page of at most 9 tiles at a time.
 *
 * Every part of the grid stays in the tree and is hidden by a modifier class
 * instead of being removed: in the mini program a node leaving a list makes
 * Taro re-send the parent's whole child list (here: every tile) over setData.
 * Tile sizes come from the grid's `video-grid--CxR` class (index.scss), so a
 * new layout changes one class, not every tile's style.
 */
export const VideoGrid = memo(function VideoGrid() {
  const { layout, slots, visibleIds, t, onPrevious, onNext } = useVideoGrid()
  const paged = layout.pageCount > 1
  return (
    <View className={`video-grid video-grid--${layout.columns}x${layout.rows}`}>
      <View className={`video-grid__empty${visibleIds.length === 0 ? '' : ' video-grid__empty--hidden'}`}>
        <Text>{t.emptyRoom}</Text>
      </View>
      <View className='video-grid__tiles'>
        {slots.map((slot) => (
          <RemoteTile key={slot.id} id={slot.id} gone={slot.gone} />
        ))}
      </View>
      <View className={`video-grid__pager${paged ? '' : ' video-grid__pager--hidden'}`}>
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
    </View>
  )
})
