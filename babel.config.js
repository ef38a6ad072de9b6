// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// Jest uses this file too (babel-jest), so tests compile exactly like the app.
module.exports = {
  presets: [
    ['taro', {
      framework: 'react',
      ts: true,
      compiler: 'webpack5',
    }],
  ],
}
