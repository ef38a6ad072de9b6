import { Button, Input, Text, View } from '@tarojs/components'
import { useHomeForm } from '../../hooks/useHomeForm'
import './index.scss'

export default function HomePage() {
  const f = useHomeForm()
  return (
    <View className='home'>
      <Text className='home__title'>{f.t.appTitle}</Text>
      <View className='home__field'>
        <Text className='home__label'>{f.t.nickname}</Text>
        <Input
          className='home__input home__input--nickname'
          value={f.nickname}
          maxlength={40}
          placeholder={f.t.nicknamePlaceholder}
          onInput={f.onNicknameInput}
        />
      </View>
      <View className='home__field'>
        <Text className='home__label'>{f.t.meetingId}</Text>
        <Input
          className='home__input home__input--meeting-id'
          value={f.meetingId}
          maxlength={20}
          placeholder={f.t.meetingIdPlaceholder}
          onInput={f.onMeetingIdInput}
        />
      </View>
      {f.error !== null && <Text className='home__error'>{f.error}</Text>}
      <Button className='home__button home__button--join' onClick={f.onJoin}>
        {f.t.joinMeeting}
      </Button>
      <Button className='home__button home__button--create' onClick={f.onCreate}>
        {f.t.createMeeting}
      </Button>
    </View>
  )
}
