export default defineAppConfig({
  pages: ['pages/home/index'],
  // The room is not on the first screen: as a subpackage (same route, /pages/room/index) its page code
  // and styles leave the 450 KiB main-package budget (scripts/weapp-report.ts); WeChat preloads it with home.
  subPackages: [{ root: 'pages/room', pages: ['index'] }],
  preloadRule: { 'pages/home/index': { network: 'all', packages: ['pages/room'] } },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1f1f1f',
    navigationBarTitleText: '会议',
    navigationBarTextStyle: 'white',
  },
  permission: {},
})
