/**
 * Stand-ins for @tarojs/components in component tests. Each renders a DOM
 * element named like the WeChat tag with its props as kebab-case attributes,
 * and turns DOM CustomEvents into the event objects WeChat delivers:
 * `{ type, detail, currentTarget, target }`, e.g. `e.detail.code` for
 * statechange and `e.detail.info` for netstatus. Fire them with
 * `fireWeChatEvent` from ./wechat.
 */
import React, { forwardRef, useEffect, useImperativeHandle, useRef, type ReactNode } from 'react'

/** React prop → WeChat event name. */
const EVENT_PROPS: Record<string, string> = {
  onClick: 'tap',
  onLongPress: 'longpress',
  onStateChange: 'statechange',
  onNetStatus: 'netstatus',
  onAudioVolumeNotify: 'audiovolumenotify',
  onError: 'error',
  onInput: 'input',
  onConfirm: 'confirm',
  onBlur: 'blur',
  onFocus: 'focus',
  onChange: 'change',
  onFullScreenChange: 'fullscreenchange',
  onTouchStart: 'touchstart',
  onTouchEnd: 'touchend',
  onAfterLeave: 'afterleave',
}

/** How many times each mocked element rendered, keyed by `tag#id` (or tag[src]). */
export const renderCounts = new Map<string, number>()

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

type Props = Record<string, unknown> & { children?: ReactNode }

function host(tag: string) {
  const Mock = forwardRef<HTMLElement, Props>(function Mock(props, ref) {
    const el = useRef<HTMLElement>(null)
    useImperativeHandle(ref, () => el.current as HTMLElement)
    const { children, className, style, id } = props
    const key = `${tag}${id ? `#${String(id)}` : props.src ? `[${String(props.src)}]` : ''}`
    renderCounts.set(key, (renderCounts.get(key) ?? 0) + 1)

    const handlers = useRef(props)
    handlers.current = props
    useEffect(() => {
      const node = el.current
      if (!node) return
      const listeners = Object.entries(EVENT_PROPS).map(([prop, type]) => {
        const domType = type === 'tap' ? 'click' : type
        const listener = (ev: Event) => {
          const handler = handlers.current[prop]
          if (typeof handler !== 'function') return
          // fireWeChatEvent wraps the payload to say under which key WeChat puts it.
          const wrapped = ev instanceof CustomEvent ? (ev.detail as { key?: string; payload?: unknown } | null) : null
          const key = wrapped?.key === 'details' ? 'details' : 'detail'
          const payload = wrapped && 'payload' in wrapped ? wrapped.payload : {}
          const target = { id: node.id, dataset: { ...node.dataset } }
          // Touch events carry `touches` / `changedTouches` beside `detail`, not in it.
          if (wrapped?.key === 'touch') handler({ type, detail: {}, ...(payload as object), currentTarget: target, target, timeStamp: Date.now() })
          else handler({ type, [key]: payload, currentTarget: target, target, timeStamp: Date.now() })
        }
        node.addEventListener(domType, listener)
        return () => node.removeEventListener(domType, listener)
      })
      return () => listeners.forEach((off) => off())
    }, [])

    const attrs: Record<string, string> = {}
    for (const [name, value] of Object.entries(props)) {
      if (name === 'children' || name === 'className' || name === 'style' || name === 'id' || name in EVENT_PROPS) continue
      if (typeof value === 'function' || value === undefined || value === null) continue
      attrs[kebab(name)] = typeof value === 'object' ? JSON.stringify(value) : String(value)
    }
    return React.createElement(
      tag,
      { ref: el, class: className as string | undefined, style: style as React.CSSProperties | undefined, id, ...attrs },
      children as ReactNode,
    )
  })
  Mock.displayName = tag
  return Mock
}

// Custom-element names (with a dash), which React renders without complaint.
export const View = host('wx-view')
export const Text = host('wx-text')
export const Button = host('wx-button')
export const Input = host('wx-input')
export const Image = host('wx-image')
export const ScrollView = host('scroll-view')
export const LivePusher = host('live-pusher')
export const LivePlayer = host('live-player')
export const PageContainer = host('page-container')
