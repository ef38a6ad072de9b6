import { Input, Text, View } from '@tarojs/components'
import { useChatPanel } from '../hooks/useChatPanel'
import { PanelHeader } from './PanelHeader'

/**
 * The chat, as a sheet over the lower part of the room: the grid stays
 * mounted underneath (unmounting it would restart every player). Players
 * render same-layer from base library 2.9.1, below the 2.10.0 the RTC
 * live-pusher needs, so the sheet draws above them wherever the room works.
 */
export function ChatPanel() {
  const c = useChatPanel()
  const { t } = c
  // Closed, it renders nothing, so the page mounts it with one line and it costs no setData.
  if (!c.open) return null
  return (
    <View className='chat-panel'>
      <PanelHeader block='chat-panel' title={t.chatTitle} closeText={t.close} onClose={c.onClose} />
      {/* A plain view that scrolls, not a ScrollView (its templates cost the main package ~9 KiB); laid out
          column-reverse with the newest first, so it rests on the newest line without scrolling it there. */}
      <View className='chat-panel__list'>
        {c.messages.length === 0 && <Text className='chat-panel__empty'>{t.chatEmpty}</Text>}
        {c.newestFirst.map((m) => (
          <View
            key={m.clientMsgId !== null && m.mine ? `own-${m.clientMsgId}` : m.id}
            className={`chat-panel__message${m.mine ? ' chat-panel__message--mine' : ''} chat-panel__message--${m.status}`}
            onClick={m.status === 'failed' ? () => c.onRetry(m.clientMsgId) : undefined}
          >
            {!m.mine && (
              <Text className='chat-panel__from'>
                {m.from.nickname}
                {m.from.role === 'host' ? ` · ${t.host}` : ''}
              </Text>
            )}
            <Text className='chat-panel__text'>{m.text}</Text>
            {m.status === 'pending' && <Text className='chat-panel__state'>{t.chatSending}</Text>}
            {m.status === 'failed' && <Text className='chat-panel__state chat-panel__state--failed'>{`${c.failureText(m)} · ${t.chatRetry}`}</Text>}
          </View>
        ))}
      </View>
      <View className='chat-panel__box'>
        <Input
          className='chat-panel__input'
          value={c.draft}
          placeholder={t.chatPlaceholder}
          confirmType='send'
          // Room past the limit so the counter can say "too long" instead of the field cutting the text.
          maxlength={-1}
          onInput={c.onInput}
          onConfirm={c.onSend}
        />
        <Text className={`chat-panel__counter${c.tooLong ? ' chat-panel__counter--over' : ''}`}>{c.counter}</Text>
        <View className={`chat-panel__send${c.canSend ? '' : ' chat-panel__send--disabled'}`} onClick={c.onSend}>
          <Text>{t.chatSend}</Text>
        </View>
      </View>
      {c.error !== null && <Text className='chat-panel__error'>{c.error}</Text>}
    </View>
  )
}
