export default defineAppConfig({
  pages: ['pages/home/index', 'pages/prejoin/index', 'pages/room/index'],
  // Light and dark follow the system: `darkmode` makes WeChat apply the
  // `prefers-color-scheme` queries in app.scss and pick the window colours
  // from theme.json (base library 2.11+).
  darkmode: true,
  themeLocation: 'theme.json',
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '@navBg',
    navigationBarTextStyle: '@navText' as 'white',
    backgroundColor: '@bgColor',
    navigationBarTitleText: '会议',
  },
  permission: {},
})
