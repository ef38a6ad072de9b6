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
          maxlength={64}
          placeholder={f.t.nicknamePlaceholder}
          onInput={f.onNicknameInput}
        />
      </View>
      <View className='home__field'>
        <Text className='home__label'>{f.t.meetingId}</Text>
        <Input
          className='home__input home__input--meeting-id'
          type='number'
          value={f.meetingId}
          maxlength={16}
          placeholder={f.t.meetingIdPlaceholder}
          onInput={f.onMeetingIdInput}
        />
      </View>
      {f.needsPasscode && (
        <View className='home__field'>
          <Text className='home__label'>{f.t.passcode}</Text>
          <Input
            className='home__input home__input--passcode'
            type='number'
            password
            value={f.passcode}
            maxlength={8}
            placeholder={f.t.passcodePlaceholder}
            onInput={f.onPasscodeInput}
          />
        </View>
      )}
      {f.error !== null && <Text className='home__error'>{f.error}</Text>}
      {f.busy && <Text className='home__busy'>{f.t.joining}</Text>}
      <Button className='home__button home__button--join' disabled={f.busy} onClick={f.onJoin}>
        {f.t.joinMeeting}
      </Button>
      <Button className='home__button home__button--create' disabled={f.busy} onClick={f.onCreate}>
        {f.t.createMeeting}
      </Button>
    </View>
  )
}
