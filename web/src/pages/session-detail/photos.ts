// Checks a picture before it is sent, so that a phone does not upload 12 MB only to hear "too
// large". The server judges again, by the bytes; these mirror src/service/photos.cpp. Used for a
// session's photos and a lecturer's portrait alike.
import { ApiError } from '@/api/client'

/** The largest photo the server takes (kMaxPhotoBytes). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024

export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const

export type PhotoRefusal = 'tooLarge' | 'wrongType'

/**
 * Why a chosen file cannot be a photo, or null when it may be sent. A file whose type the
 * browser does not know is sent: the server looks at its bytes.
 */
export function photoRefusal(file: { size: number; type: string }): PhotoRefusal | null {
  if (file.size > MAX_PHOTO_BYTES) return 'tooLarge'
  if (file.type && !(PHOTO_TYPES as readonly string[]).includes(file.type)) return 'wrongType'
  return null
}

/** A file size for people: "850 KB", "2.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

type Translate = (key: string) => string

/**
 * Why the server refused a picture, in the UI language: for 413 our own words (the server's may
 * name its general body limit, not the photo's); otherwise its field messages ("only a whole
 * JPEG…", already in the language asked for), else its message.
 */
export function refusalMessage(e: unknown, t: Translate): string {
  if (!(e instanceof ApiError)) return String(e)
  if (e.status === 0) return t('common.networkError')
  if (e.status === 413) return t('photos.tooLarge')
  const reasons = [...new Set(e.errors.map((x) => x.message).filter(Boolean))]
  return reasons.length ? reasons.join('；') : e.message
}
