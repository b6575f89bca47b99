// The dashboard's arithmetic and wording, kept apart from the charts so that it can be tested
// without a browser: large counts in 万/亿, week labels, campaign choice, target progress.
import type { CampaignStatistics, ComparedFigure, PeriodStatistics, StatisticsTarget } from '@/api'
import { addDays, civilDate as civil } from '@/utils/dates'

function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : 'zh-CN'
}

/** At most `digits` decimals, with trailing zeros dropped: 12.30 → "12.3", 12.00 → "12". */
function trimmed(n: number, digits: number, locale: string): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: digits, useGrouping: true }).format(n)
}

/** Rounds down at `digits` decimals, so that 99,999 never reads as "10万" (it is not yet). */
function floorTo(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.floor(n * f + 1e-9) / f
}

/**
 * A count as people read it on a Chinese dashboard: 9,876 → "9,876", 12,345 → "1.23万",
 * 123,456,789 → "1.23亿"; in English 12,345 → "12,345", 1,234,567 → "1.23M".
 * Counts below ten thousand (a million in English) are shown exactly.
 */
export function formatCount(n: number, locale: string): string {
  if (!Number.isFinite(n)) return '—'
  const sign = n < 0 ? '-' : ''
  const a = Math.abs(n)
  if (locale === 'en') {
    if (a >= 1e9) return `${sign}${trimmed(floorTo(a / 1e9, 2), 2, locale)}B`
    if (a >= 1e6) return `${sign}${trimmed(floorTo(a / 1e6, 2), 2, locale)}M`
    return `${sign}${trimmed(a, 0, locale)}`
  }
  if (a >= 1e8) return `${sign}${trimmed(floorTo(a / 1e8, 2), 2, locale)}亿`
  if (a >= 1e4) return `${sign}${trimmed(floorTo(a / 1e4, 2), 2, locale)}万`
  return `${sign}${trimmed(a, 0, locale)}`
}

/** An average rating with one decimal ("4.6"), or "—" when nobody has rated yet. */
export function formatRating(r: number | null, locale: string): string {
  if (r === null || !Number.isFinite(r)) return '—'
  return new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(r)
}

/** A share as a whole percentage of a target, 0 when there is no target; not capped. */
export function percentOf(done: number, target: number): number {
  if (!(target > 0)) return 0
  return Math.floor((done / target) * 100 + 1e-9)
}


/**
 * How far a figure stands against its target, in words: "87%" below or at it, "超额完成 12%"
 * ("Exceeded by 12%") beyond it. `percent` is percentOf's whole percentage.
 */
export function progressText(percent: number, t: (key: string, values?: Record<string, unknown>) => string): string {
  return percent > 100 ? t('wording.overTarget', { percent: percent - 100 }) : `${percent}%`
}

/**
 * The axis labels of consecutive weeks. Within one year: "11月7日" ("7 Nov"); when the weeks
 * span more than one year, the first week and the first of each new year carry the year
 * ("2026年12月28日", "2027年1月4日"; "4 Jan 2027"), so that no week is read in the wrong year.
 */
export function weekLabels(weekStarts: readonly string[], locale: string): string[] {
  const years = weekStarts.map((w) => civil(w)?.getUTCFullYear() ?? null)
  const spans = new Set(years.filter((y) => y !== null)).size > 1
  return weekStarts.map((w, i) => {
    const d = civil(w)
    if (!d || !spans || (i > 0 && years[i] === years[i - 1])) return weekLabel(w, locale)
    return new Intl.DateTimeFormat(intlLocale(locale), {
      year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC',
    }).format(d)
  })
}

/** The axis label of a week starting on `weekStart`: "11月7日" (zh-CN) or "7 Nov" (en). */
export function weekLabel(weekStart: string, locale: string): string {
  const d = civil(weekStart)
  if (!d) return weekStart
  return new Intl.DateTimeFormat(intlLocale(locale), { month: locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC' }).format(d)
}

/**
 * The whole week for a tooltip: "2022年10月31日–11月6日", "2022年12月26日–2023年1月1日",
 * "31 Oct – 6 Nov 2022" (en). The year is written once unless the week spans two.
 */
export function weekRange(weekStart: string, locale: string): string {
  const a = civil(weekStart)
  if (!a) return weekStart
  const b = civil(addDays(weekStart, 6)) as Date
  const sameYear = a.getUTCFullYear() === b.getUTCFullYear()
  const tz = 'UTC'
  if (locale === 'en') {
    const f = (d: Date, year: boolean): string =>
      new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(year ? { year: 'numeric' } : {}), timeZone: tz }).format(d)
    return `${f(a, !sameYear)} – ${f(b, true)}`
  }
  const f = (d: Date, year: boolean): string =>
    new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', ...(year ? { year: 'numeric' } : {}), timeZone: tz }).format(d)
  return `${f(a, true)}–${f(b, !sameYear)}`
}

// One rule for every page that takes a campaign: kept in the composable, re-exported here.
export { defaultCampaign, todayInShanghai } from '@/composables/useCampaigns'

/** A target turned into what a progress row shows. */
export interface TargetRow {
  key: string
  /** which slice: the campaign, a league, an audience group or both */
  region_code: string
  region_name: string
  audience_group: string
  sessions: number
  sessions_target: number
  sessions_percent: number
  audience: number
  audience_target: number
  audience_percent: number
}

/**
 * Every target as a row, the campaign-wide ones first, then by league code, then by audience
 * group. A zero target (e.g. audience groups with only a sessions target) has percent 0 and
 * the page shows just the count for it.
 */
export function targetRows(targets: readonly StatisticsTarget[]): TargetRow[] {
  return [...targets]
    .sort((a, b) => {
      const wa = a.region_code ? 1 : 0
      const wb = b.region_code ? 1 : 0
      return wa - wb || a.region_code.localeCompare(b.region_code) || a.audience_group.localeCompare(b.audience_group)
    })
    .map((t) => ({
      key: `${t.region_code}|${t.audience_group}`,
      region_code: t.region_code,
      region_name: t.region_name,
      audience_group: t.audience_group,
      sessions: t.sessions,
      sessions_target: t.sessions_target,
      sessions_percent: percentOf(t.sessions, t.sessions_target),
      audience: t.audience,
      audience_target: t.audience_target,
      audience_percent: percentOf(t.audience, t.audience_target),
    }))
}

/** The figures a dashboard's KPI cards show, by test id: what the browser suite compares. */
export function kpiFigures(s: CampaignStatistics): Record<string, number | null> {
  const out: Record<string, number | null> = {
    sessions: s.totals.sessions,
    audience: s.totals.audience,
    audience_offline: s.totals.audience_offline,
    online_viewers: s.totals.online_viewers,
    branch_headcount: s.totals.branch_headcount,
    average_rating: s.totals.average_rating,
    ratings: s.totals.ratings,
    lecturers: s.totals.lecturers,
    signed_in: s.totals.signed_in,
  }
  for (const o of s.orders) out[`orders_${o.state}`] = o.count
  return out
}

/**
 * The change against the same period a year before, in percent with one decimal ("+12.5%",
 * "−3%"); null when the year before had none (no ratio to give).
 */
export function yearOnYear(now: number, before: number, locale: string): string | null {
  if (!(before > 0)) return null
  const change = Math.round(((now - before) / before) * 1000) / 10
  const text = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(change)
  return `${text.replace('-', '−')}%`
}

/** A breakdown's name as the dictionary gives it, in the user's language, else its code. */
export function comparedName(x: ComparedFigure, locale: string): string {
  return (locale === 'en' && x.name_en ? x.name_en : x.name) || x.code
}

/**
 * A period's figures in the shape the dashboard draws for one campaign: its leagues as the
 * map's regions (no targets: a period has none), its breakdowns named.
 */
export function periodAsCampaign(p: PeriodStatistics): CampaignStatistics {
  const slice = (x: ComparedFigure) => ({ code: x.code, sessions: x.sessions, audience: x.audience })
  return {
    campaign_id: 0,
    organisation_id: p.organisation_id,
    totals: p.totals,
    orders: p.orders,
    weekly: p.weekly,
    regions: p.leagues.map((l) => ({
      ...slice(l),
      name: l.name ?? l.code,
      lat: l.lat ?? null,
      lon: l.lon ?? null,
      target_sessions: 0,
      target_audience: 0,
    })),
    audience_groups: p.audience_groups.map((g) => ({ ...slice(g), name: g.name ?? '', name_en: g.name_en ?? '' })),
    lecturer_categories: p.lecturer_categories.map((g) => ({ ...slice(g), name: g.name ?? '', name_en: g.name_en ?? '' })),
    industries: p.industries.map(slice),
    lecturers: p.lecturers,
    targets: [],
  }
}
