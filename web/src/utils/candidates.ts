// Words the ranked candidates of an order (派单候选) in the user's language: the server sends
// each reason as data (GET /orders/{id}/candidates), the board shows them as short phrases.
import type { Candidate } from '@/api'
import type { Translate } from './planReasons'

export type ReasonTone = 'good' | 'bad' | 'info'
export interface CandidateReason {
  text: string
  tone: ReasonTone
}

/** Why the lecturer cannot simply be dispatched that day, worded; '' when they can. */
export function blockedLabel(c: Pick<Candidate, 'blocked' | 'unavailable_reason'>, t: Translate): string {
  if (c.blocked === 'unavailable') {
    return c.unavailable_reason
      ? t('candidates.blockedUnavailableWhy', { why: c.unavailable_reason })
      : t('candidates.blockedUnavailable')
  }
  if (c.blocked === 'day_full') return t('candidates.blockedDayFull')
  return ''
}

/** How far the lecturer's home is, worded; '' for an online order. */
export function distanceLabel(c: Pick<Candidate, 'distance_km' | 'travel_minutes'>, online: boolean, t: Translate): string {
  if (online) return t('candidates.online')
  if (c.distance_km === null) return t('candidates.distanceUnknown')
  if (c.distance_km === 0) return t('candidates.sameCity')
  const minutes = c.travel_minutes ?? 0
  if (minutes >= 60) {
    const hours = Math.round(minutes / 30) / 2
    return t('candidates.distanceHours', { km: c.distance_km, hours })
  }
  return t('candidates.distanceMinutes', { km: c.distance_km, minutes })
}

/** The reasons of the ranking, in the order they weigh, each good, bad or neutral. */
export function candidateReasons(c: Candidate, t: Translate): CandidateReason[] {
  const out: CandidateReason[] = []
  if (c.requested) out.push({ text: t('candidates.requested'), tone: 'good' })
  for (const what of ['category', 'topic', 'language'] as const) {
    const match = c[`${what}_match`]
    if (match === 'met') out.push({ text: t(`candidates.${what}Met`), tone: 'good' })
    else if (match === 'not_met') out.push({ text: t(`candidates.${what}NotMet`), tone: 'bad' })
  }
  if (c.same_day_lectures > 0) {
    out.push({ text: t('candidates.sameDay', { n: c.same_day_lectures }), tone: c.blocked === 'day_full' ? 'bad' : 'info' })
  } else if (c.blocked !== 'unavailable') {
    out.push({ text: t('candidates.freeDay'), tone: 'good' })
  }
  out.push({
    text: c.campaign_lectures > 0 ? t('candidates.campaignLectures', { n: c.campaign_lectures }) : t('candidates.noCampaignLectures'),
    tone: 'info',
  })
  return out
}
