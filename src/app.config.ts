export default defineAppConfig({
  pages: ['pages/home/index'],
  // Everything past the first screen is a subpackage, downloaded when it is
  // opened (a card opens the pre-join directly): the main package stays under
  // its 450 KiB budget (scripts/weapp-report.ts). Taro moves the modules only
  // these pages use into it (mini.optimizeMainPackage, on by default).
  subPackages: [{ root: 'packages/meeting', pages: ['prejoin/index', 'room/index'] }],
  // WeChat fetches the subpackage while the home page is open, so the pre-join opens at once.
  preloadRule: { 'pages/home/index': { network: 'all', packages: ['packages/meeting'] } },
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
