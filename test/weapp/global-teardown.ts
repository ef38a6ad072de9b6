/** Stops the room service global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__weappService?.stop()
  globalThis.__weappService = undefined
}
