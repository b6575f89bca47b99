// What the printed report (宣讲工作简报) reads from its address and how it picks its rows: kept
// apart from the page so that it is tested without a browser.
import type { ComparedFigure, PeriodStatistics, PeriodStatisticsQuery } from '@/api'

/** The report's selection, as the address gives it. */
export interface ReportSelection {
  campaignId: number | null
  /** the period's campaigns (none: every campaign) when no single campaign is named */
  campaignIds: number[]
  from: string | null
  to: string | null
  organisationId: number | null
}

function id(v: unknown): number | null {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' && /^[1-9]\d{0,15}$/.test(s) ? Number(s) : null
}

function date(v: unknown): string | null {
  const s = Array.isArray(v) ? v[0] : v
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null
}

/** ?campaign_id=… or ?from=&to=&campaign_ids=1,2 and ?organisation_id=…; malformed parts ignored. */
export function selectionFromQuery(q: Record<string, unknown>): ReportSelection {
  const ids = typeof q.campaign_ids === 'string' ? q.campaign_ids.split(',').map((x) => id(x)) : []
  return {
    campaignId: id(q.campaign_id),
    campaignIds: ids.filter((x): x is number => x !== null),
    from: date(q.from),
    to: date(q.to),
    organisationId: id(q.organisation_id),
  }
}

/** The statistics query of a selection: one campaign over its own period, or the period named. */
export function statisticsQuery(s: ReportSelection): PeriodStatisticsQuery {
  const q: PeriodStatisticsQuery = {}
  if (s.campaignId !== null) q.campaign_ids = [s.campaignId]
  else if (s.campaignIds.length > 0) q.campaign_ids = s.campaignIds
  if (s.from) q.from = s.from
  if (s.to) q.to = s.to
  if (s.organisationId !== null) q.organisation_id = s.organisationId
  return q
}

/**
 * The league (its GB/T 2260 city code, "150200") a scope lies within, "" for a province-wide one:
 * a league's report compares its banners and counties, never its neighbours.
 */
export function leagueOf(regionCode: string | undefined, level: string | undefined): string {
  const code = regionCode ?? ''
  if (level === 'province' || !/^\d{6}$/.test(code) || code.endsWith('0000')) return ''
  return `${code.slice(0, 4)}00`
}

/**
 * The places the report compares: the province's leagues, or a league's own banners and
 * counties (the places its branch venues reached elsewhere are left out: they belong to
 * another league's report). Busiest first.
 */
export function placesOf(p: PeriodStatistics, league: string): ComparedFigure[] {
  const rows = league ? p.counties.filter((c) => c.parent === league) : p.leagues
  return [...rows].sort((a, b) => b.sessions - a.sessions || b.audience - a.audience || a.code.localeCompare(b.code))
}

/** Only the rows with figures in either period, busiest first. */
export function withFigures(rows: readonly ComparedFigure[]): ComparedFigure[] {
  return rows
    .filter((r) => r.sessions > 0 || r.audience > 0 || r.previous_sessions > 0 || r.previous_audience > 0)
    .sort((a, b) => b.sessions - a.sessions || b.audience - a.audience)
}
