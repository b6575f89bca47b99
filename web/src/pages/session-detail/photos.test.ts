import { describe, expect, it } from 'vitest'
import { MAX_PHOTO_BYTES, formatBytes, photoRefusal } from './photos'

describe('photoRefusal', () => {
  it('takes JPEG and PNG up to 10 MB', () => {
    expect(photoRefusal({ size: 1000, type: 'image/jpeg' })).toBeNull()
    expect(photoRefusal({ size: MAX_PHOTO_BYTES, type: 'image/png' })).toBeNull()
  })
  it('refuses what the server would refuse', () => {
    expect(photoRefusal({ size: MAX_PHOTO_BYTES + 1, type: 'image/jpeg' })).toBe('tooLarge')
    expect(photoRefusal({ size: 1000, type: 'image/heic' })).toBe('wrongType')
    expect(photoRefusal({ size: 1000, type: 'application/pdf' })).toBe('wrongType')
  })
  it('leaves a file of unknown type to the server', () => {
    expect(photoRefusal({ size: 1000, type: '' })).toBeNull()
  })
})

describe('formatBytes', () => {
  it('reads as KB below a megabyte and MB above', () => {
    expect(formatBytes(100)).toBe('1 KB')
    expect(formatBytes(850 * 1024)).toBe('850 KB')
    expect(formatBytes(2.4 * 1024 * 1024)).toBe('2.4 MB')
  })
})
