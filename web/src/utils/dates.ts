// Civil-date arithmetic on "YYYY-MM-DD" strings, in UTC so that no time zone can move a day.

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** The Date (UTC midnight) of a civil date, or null when it is not one. */
export function civilDate(date: string): Date | null {
  const m = CIVIL_DATE.exec(date)
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return Number.isNaN(d.getTime()) ? null : d
}

/** The civil date `days` after `date` (before, when negative); `date` unchanged if not a date. */
export function addDays(date: string, days: number): string {
  const d = civilDate(date)
  if (!d) return date
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
