import { View, LivePusher, LivePlayer } from '@tarojs/components'
export default function Room() { return <View><LivePusher url='' mode='RTC' onError={() => {}} onNetStatus={() => {}} onStateChange={() => {}} /><LivePlayer src='' mode='RTC' onNetStatus={() => {}} onStateChange={() => {}} /></View> }
