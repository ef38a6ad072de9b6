/** Stops the room services (and the fake TRTC API) global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__weappService?.stop()
  globalThis.__weappService = undefined
  await globalThis.__weappTrtc?.service.stop()
  await globalThis.__weappTrtc?.api.close()
  globalThis.__weappTrtc = undefined
}
