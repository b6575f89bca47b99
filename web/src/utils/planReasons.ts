// Words the optimiser's reasons (智能派单的理由) in the user's language. The plan carries each
// reason as data beside an English sentence for the command line (docs/schedule.md); the board
// shows the data, worded here, with dictionary names for categories and topics.

export type Translate = (key: string, values?: Record<string, unknown>) => string
/** The dictionary name of a code ('lecturer_category' or 'topic'); the code itself if unknown. */
export type NameOf = (kind: 'lecturer_category' | 'topic', code: string) => string

interface Leg {
  from?: unknown
  to?: unknown
  km?: unknown
  minutes?: unknown
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function leg(t: Translate, key: 'before' | 'after', l: Leg | undefined): string {
  if (!l) return ''
  const km = num(l.km)
  const minutes = num(l.minutes)
  if (km === null || minutes === null) return ''
  const place = str(key === 'before' ? l.from : l.to)
  if (km === 0) return ''
  return t(`dispatch.why.${key}${place === 'home' ? 'Home' : 'Venue'}`, { km, minutes })
}

/**
 * The reason for one proposed visit, worded; `fixed` when the assignment was already accepted.
 * Falls back to the plan's English sentence for a reason without the data (an older plan).
 */
export function visitReason(reason: unknown, fixed: boolean, t: Translate, nameOf: NameOf): string {
  if (typeof reason === 'string') return reason
  if (!reason || typeof reason !== 'object') return ''
  const r = reason as Record<string, unknown>
  const qualified = num(r.qualified_lecturers)
  const rank = num(r.home_distance_rank)
  if (qualified === null || rank === null) return str(r.why)

  const needs: string[] = []
  if (r.requested === true) needs.push(t('dispatch.why.requested'))
  if (str(r.category)) needs.push(t('dispatch.why.category', { name: nameOf('lecturer_category', str(r.category)) }))
  if (str(r.topic)) needs.push(t('dispatch.why.topic', { name: nameOf('topic', str(r.topic)) }))
  if (str(r.language)) needs.push(t('dispatch.why.language', { code: str(r.language) }))

  const parts: string[] = []
  if (fixed) parts.push(t('dispatch.why.fixed'))
  parts.push(needs.length ? t('dispatch.why.qualifiesBy', { needs: needs.join(t('dispatch.why.listSeparator')) }) : t('dispatch.why.anyone'))
  parts.push(t('dispatch.why.rank', { qualified, rank }))
  const sameDay = num(r.same_day_sessions) ?? 0
  if (r.online === true) parts.push(t('dispatch.why.online'))
  else if (sameDay > 0) parts.push(t('dispatch.why.sameDay', { n: sameDay }))
  if (r.online !== true) {
    const before = leg(t, 'before', r.travel_before as Leg | undefined)
    const after = leg(t, 'after', r.travel_after as Leg | undefined)
    if (before) parts.push(before)
    if (after) parts.push(after)
  }
  return parts.join(t('dispatch.why.separator'))
}

const UNASSIGNED_CODES = ['no_qualified_lecturer', 'none_available', 'unreachable', 'outranked', 'no_place'] as const

/** Why an open order got no lecturer in the plan, worded. */
export function unassignedReason(entry: { reason?: unknown; reason_code?: unknown }, t: Translate): string {
  const code = str(entry.reason_code)
  if ((UNASSIGNED_CODES as readonly string[]).includes(code)) return t(`dispatch.whyNot.${code}`)
  return str(entry.reason)
}
