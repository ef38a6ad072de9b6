export default definePageConfig({
  navigationBarTitleText: '会议中',
  // The room is video: dark in both themes.
  navigationBarBackgroundColor: '#0b0c0e',
  navigationBarTextStyle: 'white',
  // Live media pages stay in portrait; the grid lays out for either.
  pageOrientation: 'portrait',
  disableScroll: true,
  // The invite card (useShareAppMessage in RoomHeader) comes from the ··· menu.
  enableShareAppMessage: true,
})
