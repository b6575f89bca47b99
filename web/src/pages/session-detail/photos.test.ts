import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { MAX_PHOTO_BYTES, formatBytes, photoRefusal, refusalMessage } from './photos'

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

describe('refusalMessage', () => {
  const t = (key: string): string => `<${key}>`
  it('says "too large" in our own words, whatever the server wrote', () => {
    expect(refusalMessage(new ApiError(413, 'payload_too_large', 'the request body is larger than 1 MiB'), t)).toBe('<photos.tooLarge>')
  })
  it("gives the server's field messages, once each", () => {
    const e = new ApiError(422, 'invalid', 'some fields are invalid', 'photo', [
      { code: 'invalid', message: 'only a whole JPEG or PNG picture can be uploaded', field: 'photo' },
      { code: 'invalid', message: 'only a whole JPEG or PNG picture can be uploaded', field: 'photo' },
    ])
    expect(refusalMessage(e, t)).toBe('only a whole JPEG or PNG picture can be uploaded')
    expect(refusalMessage(new ApiError(403, 'forbidden', 'not allowed'), t)).toBe('not allowed')
  })
  it('tells a lost connection apart', () => {
    expect(refusalMessage(new ApiError(0, 'network', 'x'), t)).toBe('<common.networkError>')
  })
})
