import { Input, Text, View } from '@tarojs/components'
import { useParticipantList } from '../hooks/useParticipantList'
import { PanelHeader } from './PanelHeader'

export interface ParticipantListProps {
  onClose(): void
}

/**
 * The participant panel, a sheet over the lower part of the room (the grid
 * stays mounted; see ChatPanel): everyone with role, microphone, camera,
 * raised hand and presence, raised hands first; a search box past 9 people;
 * the host's controls, with a confirmation before the ones that cannot be
 * taken back (remove, make host, mute all, end).
 */
export function ParticipantList({ onClose }: ParticipantListProps) {
  const l = useParticipantList()
  const { t, grants } = l
  return (
    <View className='participant-list'>
      <PanelHeader
        block='participant-list'
        title={`${t.participants} (${l.total})${l.locked ? ` · ${t.locked}` : ''}`}
        closeText={t.close}
        onClose={onClose}
      />
      {l.searchable && (
        <Input className='participant-list__search' value={l.query} placeholder={t.peopleSearch} confirmType='search' onInput={l.onQueryInput} />
      )}
      {(grants.canMuteOthers || grants.canLockRoom || grants.canEndMeeting || (grants.canLowerHands && l.anyHandRaised)) && (
        <View className='participant-list__room-actions'>
          {grants.canMuteOthers && (
            <View className='participant-list__action participant-list__action--mute-all' onClick={l.muteAll}>
              <Text>{t.muteAll}</Text>
            </View>
          )}
          {grants.canLowerHands && l.anyHandRaised && (
            <View className='participant-list__action participant-list__action--lower-all' onClick={l.lowerAllHands}>
              <Text>{t.lowerAllHands}</Text>
            </View>
          )}
          {grants.canLockRoom && (
            <View className='participant-list__action participant-list__action--lock' onClick={l.toggleLock}>
              <Text>{l.locked ? t.unlockRoom : t.lockRoom}</Text>
            </View>
          )}
          {grants.canEndMeeting && (
            <View className='participant-list__action participant-list__action--end' onClick={l.endMeeting}>
              <Text>{t.endMeeting}</Text>
            </View>
          )}
        </View>
      )}
      {l.list.length === 0 && <Text className='participant-list__empty'>{t.peopleNoMatch}</Text>}
      {l.list.map((p) => (
        <View
          key={p.id}
          className={`participant-list__row${p.isSelf ? ' participant-list__row--self' : ''}${p.handRaisedAt !== null ? ' participant-list__row--hand' : ''}`}
          data-participant={p.id}
        >
          {p.handRaisedAt !== null && <Text className='participant-list__hand' aria-label={t.handRaised}>✋</Text>}
          <Text className='participant-list__name'>{p.isSelf ? `${p.nickname} (${t.you})` : p.nickname}</Text>
          {p.role === 'host' && <Text className='tile__badge'>{t.host}</Text>}
          {p.away && <Text className='participant-list__tag participant-list__tag--away'>{t.awayShort}</Text>}
          {p.mutedByHost && <Text className='participant-list__tag participant-list__tag--muted'>{t.mutedByHostShort}</Text>}
          <Text className={`participant-list__mic${p.micOn ? '' : ' participant-list__mic--off'}`}>{p.micOn ? '🎙' : '🔇'}</Text>
          <Text className={`participant-list__camera${p.cameraOn ? '' : ' participant-list__camera--off'}`} aria-label={p.cameraOn ? undefined : t.cameraOffShort}>
            {p.cameraOn ? '📷' : '📷✕'}
          </Text>
          {(p.isSelf ? p.handRaisedAt !== null : grants.canLowerHands && p.handRaisedAt !== null) && (
            <View className='participant-list__action participant-list__action--lower-hand' onClick={() => l.lowerHand(p)}>
              <Text>{t.lowerHand}</Text>
            </View>
          )}
          {!p.isSelf && (
            <View className='participant-list__controls'>
              {grants.canMuteOthers && !p.mutedByHost && (
                <View className='participant-list__action participant-list__action--mute' onClick={() => l.muteMic(p.id)}>
                  <Text>{t.mute}</Text>
                </View>
              )}
              {grants.canMuteOthers && p.mutedByHost && (
                <View className='participant-list__action participant-list__action--unmute' onClick={() => l.allowUnmute(p.id)}>
                  <Text>{t.allowUnmute}</Text>
                </View>
              )}
              {grants.canStopOthersCamera && p.cameraOn && (
                <View className='participant-list__action participant-list__action--camera' onClick={() => l.cameraOff(p.id)}>
                  <Text>{t.stopCamera}</Text>
                </View>
              )}
              {grants.canTransferHost && (
                <View className='participant-list__action participant-list__action--host' onClick={() => l.makeHost(p)}>
                  <Text>{t.makeHost}</Text>
                </View>
              )}
              {grants.canRemoveOthers && (
                <View className='participant-list__action participant-list__action--remove' onClick={() => l.remove(p)}>
                  <Text>{t.remove}</Text>
                </View>
              )}
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
