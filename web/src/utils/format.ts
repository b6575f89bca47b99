// Display formatting. Chinese first: every function takes the UI locale, and instants are shown
// in Asia/Shanghai whatever the browser's own zone is, because the federation works on Beijing time.

export const DISPLAY_TIME_ZONE = 'Asia/Shanghai'

/** The Intl locale for a UI locale ("zh-CN" or "en"). */
function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : 'zh-CN'
}

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * A civil date "2022-11-15" as "2022年11月15日" (zh-CN) or "15 Nov 2022" (en).
 * A civil date has no time zone: it is formatted as UTC so that no zone can move it a day.
 * Anything that is not a civil date is returned unchanged.
 */
export function formatDate(date: string, locale: string): string {
  const m = CIVIL_DATE.exec(date)
  if (!m) return date
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (Number.isNaN(utc.getTime())) return date
  return new Intl.DateTimeFormat(intlLocale(locale), {
    year: 'numeric',
    month: locale === 'en' ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(utc)
}

/** The weekday of a civil date: "周二" (zh-CN) or "Tue" (en); "" when it is not a date. */
export function formatWeekday(date: string, locale: string): string {
  const m = CIVIL_DATE.exec(date)
  if (!m) return ''
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'short', timeZone: 'UTC' }).format(utc)
}

/** An instant ("2026-01-02T03:04:05Z") as date and minute in Beijing time: "2026/01/02 11:04". */
export function formatDateTime(instant: string, locale: string): string {
  const d = new Date(instant)
  if (Number.isNaN(d.getTime())) return instant
  const parts = new Intl.DateTimeFormat(intlLocale(locale), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: DISPLAY_TIME_ZONE,
  }).formatToParts(d)
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? ''
  // Built from parts so that both languages read the same, unambiguous year-first way.
  return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`
}

/** "09:30–11:00", "09:30" or "" from the optional start and end times. */
export function formatTimeRange(start: string, end: string): string {
  if (start && end) return `${start}–${end}`
  return start || end || ''
}

/** A count with grouping: 12345 → "12,345". */
export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n)
}

/**
 * Whether a region code lies within another: "150202" is within "150200" and "150000".
 * GB/T 2260 codes are six digits; trailing "00" pairs mark the higher levels.
 */
export function regionWithin(code: string, ancestor: string): boolean {
  const prefix = ancestor.replace(/(00)+$/, '')
  return code.startsWith(prefix)
}

/**
 * The chain of GB/T 2260 codes from the province down to `code`: "150202" →
 * ["150000", "150200", "150202"], "150200" → ["150000", "150200"], "150000" → ["150000"].
 * [] for anything that is not a six-digit code.
 */
export function regionPath(code: string): string[] {
  if (!/^\d{6}$/.test(code)) return []
  const province = `${code.slice(0, 2)}0000`
  if (code === province) return [province]
  const city = `${code.slice(0, 4)}00`
  return code === city ? [province, city] : [province, city, code]
}
