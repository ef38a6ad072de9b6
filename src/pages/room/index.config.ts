export default definePageConfig({
  navigationBarTitleText: '会议中',
  // Live media pages stay in portrait; the grid lays out for either.
  pageOrientation: 'portrait',
  disableScroll: true,
})
