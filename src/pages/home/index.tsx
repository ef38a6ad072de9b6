import { Button, Input, Text, View } from '@tarojs/components'
import { useHomeForm } from '../../hooks/useHomeForm'
import './index.scss'

export default function HomePage() {
  const f = useHomeForm()
  return (
    <View className='home'>
      <Text className='home__title'>{f.t.appTitle}</Text>
      <View className='home__card ui-card'>
        <View className='home__field'>
          <Text className='ui-label'>{f.t.nickname}</Text>
          <Input
            className='ui-input home__input home__input--nickname'
            value={f.nickname}
            maxlength={64}
            placeholder={f.t.nicknamePlaceholder}
            onInput={f.onNicknameInput}
          />
        </View>
        <View className='home__field'>
          <Text className='ui-label'>{f.t.meetingId}</Text>
          <Input
            className='ui-input home__input home__input--meeting-id'
            type='number'
            value={f.meetingId}
            maxlength={16}
            placeholder={f.t.meetingIdPlaceholder}
            onInput={f.onMeetingIdInput}
          />
        </View>
        {f.error !== null && <Text className='ui-error home__error'>{f.error}</Text>}
        <Button className='ui-button ui-button--primary home__button home__button--join' onClick={f.onJoin}>
          {f.t.joinMeeting}
        </Button>
        <Button className='ui-button home__button home__button--create' onClick={f.onCreate}>
          {f.t.createMeeting}
        </Button>
      </View>
    </View>
  )
}
