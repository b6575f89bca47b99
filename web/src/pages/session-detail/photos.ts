// Checks a picture before it is sent, so that a phone does not upload 12 MB only to hear "too
// large". The server judges again, by the bytes; these mirror src/service/photos.cpp.

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
