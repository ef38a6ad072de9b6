import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { WAITING_IMAGE, WAITING_IMAGE_MD5 } from '@/platform/waiting-image'

const root = path.resolve(__dirname, '..', '..', '..')

test('waiting-image-hash is the MD5 of the bundled image, and the build copies it where the pusher looks', () => {
  const bytes = readFileSync(path.join(root, 'src', WAITING_IMAGE))
  expect(createHash('md5').update(bytes).digest('hex')).toBe(WAITING_IMAGE_MD5)
  // A PNG, small enough not to weigh on the 2 MB main package.
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  expect(bytes.length).toBeLessThan(16 * 1024)
  const config = readFileSync(path.join(root, 'config', 'index.ts'), 'utf8')
  expect(config).toContain(`from: 'src${WAITING_IMAGE}'`)
})
