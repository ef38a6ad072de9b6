import { Button, Input, Text, View } from '@tarojs/components'
import { PusherView } from '../../../platform/live-media'
import { usePreJoin } from '../../../hooks/usePreJoin'
import './index.scss'

/** Before entering: see yourself, choose mic and camera, check your name and the meeting. */
export default function PreJoinPage() {
  const f = usePreJoin()
  const { t } = f
  return (
    <View className='prejoin'>
      <View className={`prejoin__preview${f.cameraOn ? '' : ' prejoin__preview--off'}`}>
        {/* No url: the pusher opens the camera for the preview and publishes nothing. */}
        <PusherView
          key={f.previewKey}
          className='prejoin__video'
          url=''
          minBitrateKbps={f.preview.minBitrateKbps}
          maxBitrateKbps={f.preview.maxBitrateKbps}
          audioQuality={f.preview.audioQuality}
          enableMic={f.micOn}
          enableCamera={f.cameraOn}
          devicePosition={f.devicePosition}
          onStateChange={f.onPreviewCode}
          onNetStatus={f.onPreviewNetStatus}
          onError={f.onPreviewError}
        />
        <Text className='prejoin__preview-off'>{t.statusCameraOff}</Text>
        <View className='prejoin__toggles'>
          <View className={`prejoin__toggle prejoin__toggle--mic${f.micOn ? '' : ' prejoin__toggle--off'}`} onClick={f.onToggleMic}>
            <Text>{f.micOn ? t.micOn : t.micOff}</Text>
          </View>
          <View
            className={`prejoin__toggle prejoin__toggle--camera${f.cameraOn ? '' : ' prejoin__toggle--off'}`}
            onClick={f.onToggleCamera}
          >
            <Text>{f.cameraOn ? t.cameraOn : t.cameraOff}</Text>
          </View>
          <View className='prejoin__toggle prejoin__toggle--flip' onClick={f.onFlip}>
            <Text>{t.switchCamera}</Text>
          </View>
        </View>
      </View>
      <View className='prejoin__form ui-card'>
        <View className='prejoin__field'>
          <Text className='ui-label'>{t.meetingId}</Text>
          {f.creating ? (
            <Text className='prejoin__new-meeting'>{t.newMeeting}</Text>
          ) : (
            <Input
              className='ui-input prejoin__input prejoin__input--meeting-id'
              type='number'
              value={f.meetingId}
              maxlength={16}
              placeholder={t.meetingIdPlaceholder}
              onInput={f.onMeetingIdInput}
            />
          )}
        </View>
        <View className='prejoin__field'>
          <Text className='ui-label'>{t.nickname}</Text>
          <Input
            className='ui-input prejoin__input prejoin__input--nickname'
            value={f.nickname}
            maxlength={64}
            placeholder={t.nicknamePlaceholder}
            onInput={f.onNicknameInput}
          />
        </View>
        {f.passcodeRequired && (
          <View className='prejoin__field'>
            <Text className='ui-label'>{t.passcode}</Text>
            <Input
              className='ui-input prejoin__input prejoin__input--passcode'
              type='number'
              password
              value={f.passcode}
              maxlength={8}
              placeholder={t.passcodeAsk}
              onInput={f.onPasscodeInput}
            />
          </View>
        )}
        {f.error !== null && <Text className='ui-error prejoin__error'>{f.error}</Text>}
        {f.busy && <Text className='ui-muted prejoin__busy'>{t.joining}</Text>}
        <Button className='ui-button ui-button--primary prejoin__button--join' disabled={f.busy} onClick={f.onJoin}>
          {f.creating ? t.startMeeting : t.enterMeeting}
        </Button>
      </View>
    </View>
  )
}
