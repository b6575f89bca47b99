// A lecturer's unavailable periods as the calendar edits them: whole days, inclusive ranges,
// kept sorted, without overlaps, neighbours with the same reason merged. Pure, so it is tested
// without a browser; the server checks the result again (src/domain/validation.cpp).
import type { AgendaItem, DateRange } from '@/api'
import { addDays } from '@/utils/dates'

/** The period holding `date`, or null when the lecturer is free that day. */
export function unavailableOn(ranges: readonly DateRange[], date: string): DateRange | null {
  return ranges.find((r) => r.from <= date && date <= r.to) ?? null
}

/** `ranges` without the days from..to (inclusive): periods across them are cut in two. */
export function removeDays(ranges: readonly DateRange[], from: string, to: string): DateRange[] {
  const out: DateRange[] = []
  for (const r of ranges) {
    if (r.to < from || r.from > to) {
      out.push({ ...r })
      continue
    }
    if (r.from < from) out.push({ ...r, to: addDays(from, -1) })
    if (r.to > to) out.push({ ...r, from: addDays(to, 1) })
  }
  return normalise(out)
}

/** `ranges` with the days from..to unavailable for `reason` (replacing what those days said). */
export function markUnavailable(ranges: readonly DateRange[], from: string, to: string, reason: string): DateRange[] {
  const [a, b] = from <= to ? [from, to] : [to, from]
  return normalise([...removeDays(ranges, a, b), { from: a, to: b, reason: reason.trim() }])
}

/** Sorted by start; touching or overlapping periods with the same reason become one. */
export function normalise(ranges: readonly DateRange[]): DateRange[] {
  const sorted = [...ranges].map((r) => ({ ...r })).sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to))
  const out: DateRange[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && last.reason === r.reason && addDays(last.to, 1) >= r.from) {
      if (r.to > last.to) last.to = r.to
    } else {
      out.push(r)
    }
  }
  return out
}

/** The agenda's items by date. */
export function byDate(items: readonly AgendaItem[]): Map<string, AgendaItem[]> {
  const out = new Map<string, AgendaItem[]>()
  for (const item of items) {
    const list = out.get(item.date)
    if (list) list.push(item)
    else out.set(item.date, [item])
  }
  return out
}

/**
 * Days enough to cover any calendar view of the month holding `anyDay`: its six rows of weeks
 * begin at most six days before the 1st (whichever weekday a week starts on) and end at most
 * 41 days after the first day shown.
 */
export function monthView(anyDay: string): { from: string; to: string } {
  const first = `${anyDay.slice(0, 7)}-01`
  return { from: addDays(first, -6), to: addDays(first, 41) }
}

/** A Date as the civil date it shows in the browser, "YYYY-MM-DD" (el-calendar gives local Dates). */
export function localIso(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
