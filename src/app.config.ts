export default defineAppConfig({
  pages: ['pages/home/index', 'pages/room/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1f1f1f',
    navigationBarTitleText: '会议',
    navigationBarTextStyle: 'white',
  },
  permission: {},
})
