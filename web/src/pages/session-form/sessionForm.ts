// The record-a-session form's logic, apart from its page: what one tour day (宣讲行程) is made of,
// the bodies it sends (POST /sessions, /sessions/batch, PATCH /sessions/{id}) and where the
// server's field errors go back to (the shared fields, a venue row, a branch venue of a row).
import { ApiError, type Organisation, type Session, type SessionFormat, type SessionInput } from '@/api'

/** What every venue of one tour day shares: the campaign, the day and who lectures. */
export interface SharedFields {
  campaign_id: number | null
  date: string
  /** the main lecturer first, then the co-lecturers */
  lecturer_ids: number[]
}

export interface BranchRow {
  key: number
  host_organisation_id: number | null
  venue: string
  region_code: string
  audience_group: string
  headcount: number
}

/** One venue of the day: one session. */
export interface VenueRow {
  key: number
  title: string
  start_time: string
  end_time: string
  venue: string
  host_organisation_id: number | null
  region_code: string
  industry: string
  format: SessionFormat
  audience_group: string
  audience_offline: number
  online_viewers: number
  summary: string
  branches: BranchRow[]
}

/** The fields of a row the page shows (and so can put the server's errors beside). */
export const ROW_FIELDS = [
  'title',
  'start_time',
  'end_time',
  'venue',
  'host_organisation_id',
  'region_code',
  'industry',
  'format',
  'audience_group',
  'audience_offline',
  'online_viewers',
  'summary',
  'branches',
] as const
export const SHARED_FIELDS = ['campaign_id', 'date', 'lecturer_ids'] as const
export const BRANCH_FIELDS = ['host_organisation_id', 'venue', 'region_code', 'audience_group', 'headcount'] as const

/** At most this many venues in one tour day (the server's limit for /sessions/batch). */
export const MAX_VENUES = 20

let nextKey = 1
function key(): number {
  return nextKey++
}

export function emptyBranch(): BranchRow {
  return { key: key(), host_organisation_id: null, venue: '', region_code: '', audience_group: '', headcount: 0 }
}

export function emptyRow(): VenueRow {
  return {
    key: key(),
    title: '',
    start_time: '',
    end_time: '',
    venue: '',
    host_organisation_id: null,
    region_code: '',
    industry: '',
    format: 'offline',
    audience_group: '',
    audience_offline: 0,
    online_viewers: 0,
    summary: '',
    branches: [],
  }
}

/**
 * The next venue of a tour day: same topic, host and audience as the one before (the usual case:
 * one union's several workshops), a new place and times, no figures yet.
 */
export function nextRow(previous: VenueRow | undefined): VenueRow {
  if (!previous) return emptyRow()
  return {
    ...emptyRow(),
    title: previous.title,
    host_organisation_id: previous.host_organisation_id,
    region_code: previous.region_code,
    industry: previous.industry,
    audience_group: previous.audience_group,
  }
}

/** A recorded session as the form shows it (a correction). */
export function rowFromSession(s: Session): { shared: SharedFields; row: VenueRow } {
  return {
    shared: { campaign_id: s.campaign_id ?? null, date: s.date, lecturer_ids: [...s.lecturer_ids] },
    row: {
      key: key(),
      title: s.title,
      start_time: s.start_time ?? '',
      end_time: s.end_time ?? '',
      venue: s.venue,
      host_organisation_id: s.host_organisation_id,
      region_code: s.region_code,
      industry: s.industry,
      format: s.format,
      audience_group: s.audience_group,
      audience_offline: s.audience_offline,
      online_viewers: s.online_viewers,
      summary: s.summary,
      branches: s.branches.map((b) => ({ ...b, key: key() })),
    },
  }
}

/**
 * What choosing a host organisation fills in: its region and its industry (GB/T 4754), each only
 * where the user has not chosen one that differs from the previous host's.
 */
export function hostDefaults(
  row: Pick<VenueRow, 'region_code' | 'industry'>,
  host: Pick<Organisation, 'region_code' | 'industry'> | undefined,
  previousHost: Pick<Organisation, 'region_code' | 'industry'> | undefined,
): { region_code: string; industry: string } {
  if (!host) return { region_code: row.region_code, industry: row.industry }
  const untouched = (value: string, previous: string | undefined): boolean => value === '' || value === (previous ?? '')
  return {
    region_code: untouched(row.region_code, previousHost?.region_code) ? host.region_code : row.region_code,
    industry: untouched(row.industry, previousHost?.industry) ? host.industry : row.industry,
  }
}

/** One session's body: what the row and the shared fields say, trimmed; no figures for absent parts. */
export function sessionInput(shared: SharedFields, row: VenueRow): SessionInput {
  const hybrid = row.format === 'hybrid'
  return {
    campaign_id: shared.campaign_id,
    title: row.title.trim(),
    date: shared.date,
    start_time: row.start_time || null,
    end_time: row.end_time || null,
    venue: row.venue.trim(),
    host_organisation_id: row.host_organisation_id ?? 0,
    region_code: row.region_code,
    industry: row.industry,
    format: row.format,
    audience_group: row.audience_group,
    audience_offline: row.format === 'online' ? 0 : row.audience_offline,
    online_viewers: row.format === 'offline' ? 0 : row.online_viewers,
    summary: row.summary.trim(),
    source: 'unordered',
    lecturer_ids: [...shared.lecturer_ids],
    branches: hybrid
      ? row.branches.map((b) => ({
          host_organisation_id: b.host_organisation_id ?? 0,
          venue: b.venue.trim(),
          region_code: b.region_code,
          audience_group: b.audience_group,
          headcount: b.headcount,
        }))
      : [],
  }
}

/** A tour day's body for POST /sessions/batch: one session per venue row, in the rows' order. */
export function batchInput(shared: SharedFields, rows: readonly VenueRow[]): { sessions: SessionInput[] } {
  return { sessions: rows.map((r) => sessionInput(shared, r)) }
}

/**
 * A correction's body: everything the form holds, with the version it read. The source and the
 * order stay as recorded (the server refuses to change them), so they are not sent.
 */
export function correctionInput(
  shared: SharedFields,
  row: VenueRow,
  version: number,
): Omit<SessionInput, 'source'> & { version: number } {
  const { source: _source, ...rest } = sessionInput(shared, row)
  return { ...rest, version }
}

/** The server's refusal, placed: shared fields, each row's fields, each row's branch venues. */
export interface PlacedErrors {
  shared: Record<string, string>
  rows: Record<string, string>[]
  /** rows[i] → branch j → field → message */
  branches: Record<string, string>[][]
  /** what belongs to no field the form shows */
  general: string
}

/**
 * Sorts a 422's field errors. A tour day's errors are named "sessions[1].venue",
 * "sessions[0].branches[2].headcount"; a single session's (or a day of one venue) are not
 * prefixed and belong to the first row. Errors of a shared field on any row show once, beside it.
 */
export function placeErrors(error: unknown, rowCount: number): PlacedErrors {
  const placed: PlacedErrors = {
    shared: {},
    rows: Array.from({ length: rowCount }, () => ({})),
    branches: Array.from({ length: rowCount }, () => []),
    general: '',
  }
  if (!(error instanceof ApiError)) {
    placed.general = String(error)
    return placed
  }
  const all = error.errors.length > 0 ? error.errors : [{ code: error.code, message: error.message, field: error.field }]
  const rest: string[] = []
  for (const e of all) {
    let path = e.field ?? ''
    let row = 0
    const prefix = /^sessions\[(\d+)\]\.?/.exec(path)
    if (prefix) {
      row = Number(prefix[1])
      path = path.slice(prefix[0].length)
    }
    const branch = /^branches\[(\d+)\]\.(\w+)/.exec(path)
    const head = /^[^.[]+/.exec(path)?.[0] ?? ''
    if (row >= rowCount) {
      rest.push(e.message)
    } else if ((SHARED_FIELDS as readonly string[]).includes(head)) {
      placed.shared[head] ??= e.message
    } else if (branch && (BRANCH_FIELDS as readonly string[]).includes(branch[2] ?? '')) {
      const j = Number(branch[1])
      const list = (placed.branches[row] ??= [])
      while (list.length <= j) list.push({})
      ;(list[j] as Record<string, string>)[branch[2] as string] ??= e.message
    } else if ((ROW_FIELDS as readonly string[]).includes(head)) {
      ;(placed.rows[row] as Record<string, string>)[head] ??= e.message
    } else {
      rest.push(e.message)
    }
  }
  placed.general = [...new Set(rest)].join('；')
  return placed
}

/** The whole audience of a row as the server will count it (main venue, online, branches). */
export function rowAudience(row: VenueRow): number {
  const branches = row.format === 'hybrid' ? row.branches.reduce((n, b) => n + (b.headcount || 0), 0) : 0
  const offline = row.format === 'online' ? 0 : row.audience_offline || 0
  const online = row.format === 'offline' ? 0 : row.online_viewers || 0
  return offline + online + branches
}
