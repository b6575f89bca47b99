import type { Lecturer } from '@/api'

type Translate = (key: string) => string

/** "女 · 蒙古族": gender and ethnicity, whichever are known. */
export function personLine(l: Lecturer, t: Translate): string {
  return [l.gender ? t(`gender.${l.gender}`) : '', l.ethnicity].filter(Boolean).join(' · ')
}

/** The first character of a name, for a portrait's placeholder: "王丽华" → "王", "anna" → "A". */
export function nameInitial(name: string): string {
  // By code point, so that a character outside the BMP is not cut in half.
  const first = Array.from(name.trim())[0]
  return first ? first.toLocaleUpperCase() : '?'
}

// Muted tones that carry white text (contrast ≥ 4.5:1), none of them the brand's alarm red.
const PLACEHOLDER_COLOURS = ['#8c3b3b', '#9a5b1e', '#2e7052', '#2f5f8a', '#5e4a8c', '#7a5240', '#346b6b', '#6b6424']

/** A placeholder's colour, fixed per lecturer so that a face-less list still tells people apart. */
export function placeholderColour(id: number): string {
  const n = PLACEHOLDER_COLOURS.length
  return PLACEHOLDER_COLOURS[((id % n) + n) % n] as string
}
