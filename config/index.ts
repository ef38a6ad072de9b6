import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * Weapp and H5 builds write to separate folders (by default both write to
 * `dist/` and overwrite each other); `project.config.json` points WeChat
 * DevTools at `dist/weapp`.
 */
const outputRoot = `dist/${process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp'}`

/**
 * `TARO_APP_*` variables from the shell reach the app as `process.env.X`
 * (Taro itself only reads them from .env files), e.g.
 * `TARO_APP_SERVICE_URL=http://127.0.0.1:8787 npm run build:weapp`. Variables the code reads are
 * always defined, so a bundle never reads an undefined `process.env`.
 */
const appEnv = Object.fromEntries(
  Object.entries({ TARO_APP_SERVICE_URL: '', ...process.env })
    .filter(([key]) => key.startsWith('TARO_APP_'))
    .map(([key, value]) => [key, JSON.stringify(value ?? '')]),
)

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'taro-meeting',
    date: '2026-11-28',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot,
    plugins: [path.resolve(__dirname, 'plugins/live-pusher-binderror.ts')],
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    env: appEnv,
    defineConstants: {},
    // The pusher's waiting image must be a file in the package (src/platform/waiting-image.ts).
    copy: {
      patterns: process.env.TARO_ENV === 'h5' ? [] : [{ from: 'src/assets/waiting-image.png', to: `${outputRoot}/assets/waiting-image.png` }],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }
  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
