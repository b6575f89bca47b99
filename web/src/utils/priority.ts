// One notation for an order's priority everywhere (P1–P5, P1 the most urgent). The API keeps
// priority as 1 (low) … 5 (urgent); the UI shows it as the office says it: P1 最高 … P5 最低.

export type PriorityTagType = 'danger' | 'warning' | 'primary' | 'success' | 'info'

/** The P-level (1 = most urgent) of an API priority (5 = most urgent); out-of-range values are clamped. */
export function priorityLevel(priority: number): 1 | 2 | 3 | 4 | 5 {
  const p = Number.isFinite(priority) ? Math.round(priority) : 3
  return (6 - Math.min(5, Math.max(1, p))) as 1 | 2 | 3 | 4 | 5
}

/** The API priority of a P-level: the inverse of priorityLevel. */
export function priorityOfLevel(level: number): number {
  return 6 - Math.min(5, Math.max(1, Math.round(level)))
}

/**
 * Element Plus tag look per P-level, the same on every page: from solid red (P1) through light
 * red, orange and green to grey (P5). The theme's primary colour is red too, so it is not used.
 */
export const PRIORITY_TAG: Record<1 | 2 | 3 | 4 | 5, { type: PriorityTagType; effect: 'dark' | 'light' }> = {
  1: { type: 'danger', effect: 'dark' },
  2: { type: 'danger', effect: 'light' },
  3: { type: 'warning', effect: 'light' },
  4: { type: 'success', effect: 'light' },
  5: { type: 'info', effect: 'light' },
}

export function priorityTag(priority: number): { type: PriorityTagType; effect: 'dark' | 'light' } {
  return PRIORITY_TAG[priorityLevel(priority)]
}

/** "P1" … "P5". */
export function priorityCode(priority: number): string {
  return `P${priorityLevel(priority)}`
}

/** "P1 最高" / "P1 highest", worded through the locale's priority.level{n}. */
export function priorityLabel(priority: number, t: (key: string) => string): string {
  return `${priorityCode(priority)} ${t(`priority.level${priorityLevel(priority)}`)}`
}

/** The choices of an order form, most urgent first: { value: API priority, level }. */
export const PRIORITY_CHOICES: readonly { value: number; level: 1 | 2 | 3 | 4 | 5 }[] = [5, 4, 3, 2, 1].map((value) => ({
  value,
  level: priorityLevel(value),
}))
