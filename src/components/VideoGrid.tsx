import { Text, View } from '@tarojs/components'
import { memo } from 'react'
import { useVideoGrid } from '../hooks/useVideoGrid'
import { BackGuard } from '../platform/back-guard'
import { RemoteTile } from './RemoteTile'

/**
 * The remote participants: a page at a time (4 on a phone, 9 on a desktop,
 * core/grid-layout.ts), turned by a horizontal swipe, the dots, the buttons or
 * the arrow keys; or the focus layout (tap a tile): that tile large, the
 * page's others as a strip, everyone else by name.
 *
 * Every part of the grid stays in the tree and is hidden by a modifier class
 * instead of being removed: in the mini program a node leaving a list makes
 * Taro re-send the parent's whole child list (here: every tile) over setData.
 * Tile sizes come from the grid's `video-grid--CxR` class (index.scss), and
 * focus is one class on the grid and one on the tile, so entering it moves no
 * tile in the list and remounts no player.
 */
/** The pager's dots: ● for the page shown, ○ for the others. */
export function pageDots(page: number, pageCount: number): string {
  return Array.from({ length: pageCount }, (_, i) => (i === page ? '●' : '○')).join(' ')
}

export const VideoGrid = memo(function VideoGrid() {
  const g = useVideoGrid()
  const { layout, t } = g
  const focused = g.focusId !== null
  const paged = layout.pageCount > 1 && !focused
  return (
    <View
      className={`video-grid video-grid--${layout.columns}x${layout.rows}${focused ? ' video-grid--focus' : ''}`}
      onTouchStart={g.onTouchStart}
      onTouchEnd={g.onTouchEnd}
    >
      <View className={`video-grid__empty${g.visibleIds.length === 0 ? '' : ' video-grid__empty--hidden'}`}>
        <Text>{t.emptyRoom}</Text>
      </View>
      <View className='video-grid__tiles'>
        {g.slots.map((slot) => (
          <RemoteTile key={slot.id} id={slot.id} gone={slot.gone} />
        ))}
      </View>
      <View className={`video-grid__focus-bar${focused ? '' : ' video-grid__focus-bar--hidden'}`}>
        <View className='video-grid__back' onClick={g.onBackToGrid}>
          <Text>{t.backToGrid}</Text>
        </View>
        <Text className='video-grid__names'>
          {g.stripNames.length === 0 ? ' ' : `${t.moreParticipants(g.stripNames.length)}: ${g.stripNames.join(' · ')}`}
        </Text>
      </View>
      <BackGuard active={focused} onBack={g.onBackToGrid} />
      <View className={`video-grid__pager${paged ? '' : ' video-grid__pager--hidden'}`}>
        <View
          className={`video-grid__page-button${layout.page === 0 ? ' video-grid__page-button--disabled' : ''}`}
          onClick={g.onPrevious}
        >
          <Text>{t.previousPage}</Text>
        </View>
        {/* One text, not a node per dot: a page more or less changes one key instead of re-sending a list. */}
        <Text className='video-grid__dots'>{pageDots(layout.page, layout.pageCount)}</Text>
        <Text className='video-grid__page'>{t.pageOf(layout.page + 1, layout.pageCount)}</Text>
        <View
          className={`video-grid__page-button${layout.page >= layout.pageCount - 1 ? ' video-grid__page-button--disabled' : ''}`}
          onClick={g.onNext}
        >
          <Text>{t.nextPage}</Text>
        </View>
      </View>
    </View>
  )
})
