import { Text, View } from '@tarojs/components'

export interface PanelHeaderProps {
  /** The panel's BEM block (`chat-panel`, `stats-panel`, `participant-list`): its `__header`, `__title` and `__close` style the parts. */
  readonly block: string
  readonly title: string
  readonly closeText: string
  onClose(): void
}

/** A panel's title row with its close button, one for every sheet of the room. */
export function PanelHeader({ block, title, closeText, onClose }: PanelHeaderProps) {
  return (
    <View className={`${block}__header`}>
      <Text className={`${block}__title`}>{title}</Text>
      <View className={`${block}__close`} onClick={onClose}>
        <Text>{closeText}</Text>
      </View>
    </View>
  )
}
