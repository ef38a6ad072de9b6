/**
 * The picture the others see while this attendee's app is in the background
 * (`<live-pusher waiting-image>`): WeChat stops the camera then and pushes
 * this image instead, at a trickle, for up to 3 minutes (platform reference,
 * waiting-image). Bundled in the package (4.3 KB, copied by config/index.ts)
 * so it needs no network; `waiting-image-hash` is its MD5, which
 * test/unit/platform/waiting-image.test.ts checks against the file.
 */
export const WAITING_IMAGE = '/assets/waiting-image.png'
export const WAITING_IMAGE_MD5 = 'e64b82da2c1286e2276a8b47636ce039'
