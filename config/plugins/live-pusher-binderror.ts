import type { IPluginContext } from '@tarojs/service'

/**
 * Taro 4.2.1's weapp component table (plugin-platform-weapp `components`) lists
 * no `bindError` for `live-pusher`, so the generated base.wxml never binds
 * `binderror` and `<LivePusher onError>` (10001 camera denied, 10002 mic denied,
 * 10003 BGM, 10004 waiting image) silently never fires.
 *
 * The template generator reads the shared `internalComponents` table lazily,
 * when it writes base.wxml after webpack has been configured, so patching the
 * table from a `modifyWebpackChain` hook is early enough. `test/weapp/` proves
 * it by reading the built template.
 */
export default (ctx: IPluginContext): void => {
  ctx.modifyWebpackChain(() => {
    if (process.env.TARO_ENV !== 'weapp') return
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const template = require('@tarojs/shared/dist/template') as {
      internalComponents: Record<string, Record<string, string>>
    }
    ctx.helper.recursiveMerge(template.internalComponents, {
      LivePusher: { bindError: '' },
    })
  })
}
