import type { Lecturer } from '@/api'

type Translate = (key: string) => string

/** "女 · 蒙古族": gender and ethnicity, whichever are known. */
export function personLine(l: Lecturer, t: Translate): string {
  return [l.gender ? t(`gender.${l.gender}`) : '', l.ethnicity].filter(Boolean).join(' · ')
}
