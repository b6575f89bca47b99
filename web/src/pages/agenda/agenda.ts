// A lecturer's agenda as the page groups it. The open orders (dispatched or accepted) come from
// the order list, whatever their date, so that an order left unanswered weeks ago still asks for
// an answer; the sessions given come from the agenda of the dates chosen.
import type { AgendaItem, Order } from '@/api'
import { DISPLAY_TIME_ZONE } from '@/utils/format'

/** Today's civil date in Beijing time ("2026-12-03"), whatever the browser's own zone. */
export function shanghaiToday(now: Date = new Date()): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: DISPLAY_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

/** The civil date `days` after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`)
  if (Number.isNaN(t)) return date
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10)
}

/** The agenda's default dates: the past 300 days and the next 90 (the API takes at most 400). */
export function defaultRange(today: string): { from: string; to: string } {
  return { from: addDays(today, -300), to: addDays(today, 90) }
}

/** Whether [from, to] is a range the API takes: two dates, in order, at most 400 days apart. */
export function validRange(from: string, to: string): boolean {
  const a = Date.parse(`${from}T00:00:00Z`)
  const b = Date.parse(`${to}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return false
  if (Number.isNaN(a) || Number.isNaN(b)) return false
  return b >= a && (b - a) / 86_400_000 <= 400
}

export type AgendaEntry =
  | { kind: 'order'; key: string; date: string; start: string; order: Order }
  | { kind: 'session'; key: string; date: string; start: string; item: AgendaItem }

export interface AgendaGroups {
  /** dispatched to the lecturer: accept or decline */
  reply: Order[]
  /** accepted, and the day has come: record the lecture */
  record: Order[]
  /** accepted orders still ahead, and sessions after today; soonest first */
  upcoming: AgendaEntry[]
  /** sessions given, today's included; latest first */
  past: AgendaItem[]
}

function byDate<T extends { date: string; start: string }>(a: T, b: T): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1
  if (a.start !== b.start) return a.start < b.start ? -1 : 1
  return 0
}

function orderEntry(order: Order): AgendaEntry {
  return { kind: 'order', key: `order-${order.id}`, date: order.date ?? '', start: order.start_time ?? '', order }
}

/**
 * Sorts the lecturer's open orders and agenda into what needs doing and what is planned or done.
 * Orders in other states are ignored, and so are the agenda's own order items: the open orders
 * are the one source of truth for those.
 */
export function groupAgenda(orders: readonly Order[], items: readonly AgendaItem[], today: string): AgendaGroups {
  const sorted = (list: Order[]): Order[] =>
    list.sort((a, b) => byDate({ date: a.date ?? '', start: a.start_time ?? '' }, { date: b.date ?? '', start: b.start_time ?? '' }))
  const reply = sorted(orders.filter((o) => o.state === 'dispatched'))
  const accepted = orders.filter((o) => o.state === 'accepted')
  // An accepted order without a date cannot be recorded yet: it waits with the upcoming ones.
  const record = sorted(accepted.filter((o) => o.date !== null && o.date <= today))
  const upcoming: AgendaEntry[] = accepted.filter((o) => o.date === null || o.date > today).map(orderEntry)
  const past: AgendaItem[] = []
  for (const item of items) {
    if (item.kind !== 'session') continue
    // A session is recorded after the lecture: one dated today has been given.
    if (item.date > today) {
      upcoming.push({ kind: 'session', key: `session-${item.id}`, date: item.date, start: item.start_time ?? '', item })
    } else {
      past.push(item)
    }
  }
  upcoming.sort(byDate)
  past.sort((a, b) => -byDate({ date: a.date, start: a.start_time ?? '' }, { date: b.date, start: b.start_time ?? '' }))
  return { reply, record, upcoming, past }
}

/** A civil date's month and day ("11月21日", "21 Nov") and its year, for a date badge. */
export function dateBadge(date: string, locale: string): { monthDay: string; year: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return { monthDay: date, year: '' }
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  const monthDay = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    month: locale === 'en' ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(utc)
  return { monthDay, year: m[1] ?? '' }
}

/** The private calendar link as a phone subscribes to it: the same address as webcal://. */
export function webcalUrl(url: string): string {
  return url.replace(/^https?:/, 'webcal:')
}
