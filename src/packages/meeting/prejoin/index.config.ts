export default definePageConfig({
  navigationBarTitleText: '会议',
  // The preview is a live-pusher: keep it upright like the room's.
  pageOrientation: 'portrait',
})
