// The report's summary paragraph (宣讲工作简报的综述), written from the figures alone, so that it
// says nothing the tables below it do not show. Pure: the report page and its tests call it.
import { formatCount } from '@/pages/dashboard/figures'

export type SummaryLang = 'zh-CN' | 'en'

export interface SummaryPlace {
  name: string
  sessions: number
  audience: number
}

export interface SummaryInput {
  /** civil dates YYYY-MM-DD, both included */
  from: string
  to: string
  /** who the figures are about: "全区" / "the region", or an organisation's name */
  scope: string
  sessions: number
  audience: number
  /** the same days a year before; null leaves the comparison out */
  previousSessions: number | null
  previousAudience: number | null
  ratings: number
  averageRating: number | null
  signedIn: number
  /** the places compared with each other (leagues or counties), in any order */
  places: SummaryPlace[]
  /** the audience groups reached, in any order */
  groups: SummaryPlace[]
  /** the scope's overall target, when one was set */
  target: { sessions: number; sessionsTarget: number; audience: number; audienceTarget: number } | null
}

const MOST_NAMED = 5

function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number)
  return [y ?? 0, m ?? 0, d ?? 0]
}

/** "2022年10月1日至12月31日" (the year once when both share it) / "1 Oct to 31 Dec 2022". */
export function periodText(from: string, to: string, lang: SummaryLang): string {
  const [fy, fm, fd] = ymd(from)
  const [ty, tm, td] = ymd(to)
  if (lang === 'en') {
    const month = (m: number) => ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1] ?? ''
    if (from === to) return `${td} ${month(tm)} ${ty}`
    return fy === ty ? `${fd} ${month(fm)} to ${td} ${month(tm)} ${ty}` : `${fd} ${month(fm)} ${fy} to ${td} ${month(tm)} ${ty}`
  }
  if (from === to) return `${fy}年${fm}月${fd}日`
  return fy === ty ? `${fy}年${fm}月${fd}日至${tm}月${td}日` : `${fy}年${fm}月${fd}日至${ty}年${tm}月${td}日`
}

/** Exact below ten thousand with grouping ("1,234"), else in 万/亿 ("5.6万"); English in M. */
function amount(n: number, lang: SummaryLang): string {
  return formatCount(n, lang === 'en' ? 'en' : 'zh-CN')
}

/** The change in whole percent against the year before, or null without a year before. */
export function changePercent(now: number, before: number | null): number | null {
  if (before === null || !(before > 0)) return null
  return Math.round(((now - before) / before) * 100)
}

function changeText(percent: number, lang: SummaryLang): string {
  if (lang === 'en') {
    if (percent === 0) return 'level with the same period last year'
    return `${percent > 0 ? 'up' : 'down'} ${Math.abs(percent)}% on the same period last year`
  }
  if (percent === 0) return '与上年同期持平'
  return `同比${percent > 0 ? '增长' : '下降'} ${Math.abs(percent)}%`
}

function listed(names: string[], lang: SummaryLang, kind: { zh: string; en: string }): string {
  const shown = names.slice(0, MOST_NAMED)
  const rest = names.length - shown.length
  if (lang === 'en') {
    const joined = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0] ?? ''
    return rest > 0 ? `${shown.join(', ')} and ${rest} more ${kind.en}` : joined
  }
  return rest > 0 ? `${shown.join('、')}等 ${names.length} 个${kind.zh}` : shown.join('、')
}

/** The first of the largest (by `key`, ties by name in the list's order), or null if all are 0. */
function largest(places: SummaryPlace[], key: 'sessions' | 'audience'): SummaryPlace | null {
  let best: SummaryPlace | null = null
  for (const p of places) if (p[key] > 0 && (!best || p[key] > best[key])) best = p
  return best
}

/**
 * The summary paragraph: period and scope, sessions and people reached against the year
 * before, the busiest place and the one that reached most people, the places with no lecture
 * yet, the group reached most, ratings and sign-ins, and progress against the target.
 */
export function summaryText(x: SummaryInput, lang: SummaryLang): string {
  const en = lang === 'en'
  const when = periodText(x.from, x.to, lang)
  if (x.sessions === 0) {
    return en
      ? `From ${when}, ${x.scope} recorded no lecture.`
      : `${when}，${x.scope}尚未开展宣讲。`
  }
  const parts: string[] = []
  const sessionsChange = changePercent(x.sessions, x.previousSessions)
  const audienceChange = changePercent(x.audience, x.previousAudience)
  if (en) {
    let first = `From ${when}, ${x.scope} held ${amount(x.sessions, lang)} lecture${x.sessions === 1 ? '' : 's'} reaching ${amount(x.audience, lang)} worker${x.audience === 1 ? '' : 's'}`
    const changes: string[] = []
    if (sessionsChange !== null) changes.push(`lectures ${changeText(sessionsChange, lang)}`)
    if (audienceChange !== null) changes.push(`audience ${changeText(audienceChange, lang)}`)
    if (changes.length) first += ` (${changes.join('; ')})`
    parts.push(`${first}.`)
  } else {
    let first = `${when}，${x.scope}共开展宣讲 ${amount(x.sessions, lang)} 场，覆盖职工 ${amount(x.audience, lang)} 人次`
    if (sessionsChange !== null) first += `，场次${changeText(sessionsChange, lang)}`
    if (audienceChange !== null) first += `，人次${changeText(audienceChange, lang)}`
    parts.push(`${first}。`)
  }

  if (x.places.length > 1) {
    const busiest = largest(x.places, 'sessions')
    const widest = largest(x.places, 'audience')
    const idle = x.places.filter((p) => p.sessions === 0 && p.audience === 0).map((p) => p.name)
    const clauses: string[] = []
    if (busiest) {
      clauses.push(en ? `${busiest.name} held the most lectures (${amount(busiest.sessions, lang)})` : `${busiest.name}场次最多（${amount(busiest.sessions, lang)} 场）`)
    }
    if (widest && widest !== busiest) {
      clauses.push(en ? `${widest.name} reached the most workers (${amount(widest.audience, lang)})` : `${widest.name}覆盖人次最多（${amount(widest.audience, lang)} 人次）`)
    } else if (widest && en) {
      clauses[clauses.length - 1] += ` and reached the most workers (${amount(widest.audience, lang)})`
    } else if (widest) {
      clauses[clauses.length - 1] += `，覆盖 ${amount(widest.audience, lang)} 人次，亦居首位`
    }
    if (idle.length > 0) {
      const names = listed(idle, lang, { zh: '地区', en: 'places' })
      clauses.push(en ? `${names} ${idle.length === 1 ? 'has' : 'have'} had no lecture yet` : `${names}尚未开展宣讲`)
    }
    if (clauses.length) parts.push(en ? `${clauses.join('; ')}.` : `${clauses.join('；')}。`)
  }

  const group = largest(x.groups, 'audience')
  if (group) {
    parts.push(en
      ? `Of the audience groups, ${group.name} were reached most (${amount(group.audience, lang)}).`
      : `从宣讲对象看，${group.name}覆盖人次最多（${amount(group.audience, lang)} 人次）。`)
  }

  const feedback: string[] = []
  if (x.ratings > 0 && x.averageRating !== null) {
    const avg = x.averageRating.toFixed(1)
    feedback.push(en ? `${amount(x.ratings, lang)} rating${x.ratings === 1 ? '' : 's'} averaged ${avg} out of 5` : `收到听众评价 ${amount(x.ratings, lang)} 条，平均 ${avg} 分`)
  }
  if (x.signedIn > 0) {
    feedback.push(en ? `${amount(x.signedIn, lang)} listener${x.signedIn === 1 ? '' : 's'} signed in by QR code` : `扫码签到 ${amount(x.signedIn, lang)} 人次`)
  }
  if (feedback.length) parts.push(en ? `${feedback.join('; ')}.` : `${feedback.join('，')}。`)

  if (x.target && (x.target.sessionsTarget > 0 || x.target.audienceTarget > 0)) {
    const t = x.target
    const done: string[] = []
    const pct = (n: number, of: number) => Math.floor((n / of) * 100 + 1e-9)
    if (t.sessionsTarget > 0) {
      const p = pct(t.sessions, t.sessionsTarget)
      done.push(en ? `${p}% of the ${amount(t.sessionsTarget, lang)} lectures planned` : `场次目标 ${amount(t.sessionsTarget, lang)} 场，完成 ${p}%`)
    }
    if (t.audienceTarget > 0) {
      const p = pct(t.audience, t.audienceTarget)
      done.push(en ? `${p}% of the audience of ${amount(t.audienceTarget, lang)}` : `人次目标 ${amount(t.audienceTarget, lang)} 人次，完成 ${p}%`)
    }
    parts.push(en ? `Against the campaign's targets: ${done.join(', ')}.` : `对照活动目标，${done.join('；')}。`)
  }
  return parts.join(en ? ' ' : '')
}
