import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '@/locales/en'
import zh from '@/locales/zh-CN'
import type { Candidate } from '@/api'
import { blockedLabel, candidateReasons, distanceLabel } from './candidates'

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zh, en } })
  return (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})
}

const base: Candidate = {
  lecturer_id: 7,
  name: '候选甲',
  category: 'craftsman',
  region_code: '150203',
  employer: '包钢',
  dispatchable: true,
  blocked: null,
  unavailable_reason: '',
  requested: false,
  category_match: 'met',
  topic_match: 'not_met',
  language_match: 'not_asked',
  qualified: false,
  same_day_lectures: 0,
  campaign_lectures: 3,
  distance_km: 152,
  travel_minutes: 117,
}

describe('candidate reasons', () => {
  const t = translator('zh-CN')

  it('words each requirement asked for, and leaves out what the order does not ask', () => {
    const texts = candidateReasons(base, t).map((r) => [r.text, r.tone])
    expect(texts).toEqual([
      ['类别符合', 'good'],
      ['不擅长该主题', 'bad'],
      ['当天没有其他宣讲', 'good'],
      ['本活动已讲 3 场', 'info'],
    ])
  })

  it('puts the union’s wish first and counts the day’s lectures', () => {
    const texts = candidateReasons({ ...base, requested: true, same_day_lectures: 2, campaign_lectures: 0 }, t).map((r) => r.text)
    expect(texts[0]).toBe('点单单位点名邀请')
    expect(texts).toContain('当天已有 2 场')
    expect(texts).toContain('本活动尚未安排')
  })

  it('labels those who cannot take it with why', () => {
    expect(blockedLabel({ blocked: 'unavailable', unavailable_reason: '住院' }, t)).toBe('不可派：当天请假（住院）')
    expect(blockedLabel({ blocked: 'unavailable', unavailable_reason: '' }, t)).toBe('不可派：当天请假')
    expect(blockedLabel({ blocked: 'day_full', unavailable_reason: '' }, t)).toMatch(/^行程紧张：当天已有宣讲/)
    expect(blockedLabel(base, t)).toBe('')
    expect(blockedLabel({ blocked: 'day_full', unavailable_reason: '' }, translator('en'))).toMatch(/^Tight day/)
  })

  it('words the distance in kilometres and road time', () => {
    expect(distanceLabel(base, false, t)).toBe('距宣讲地约 152 公里，车程约 2 小时')
    expect(distanceLabel({ distance_km: 30, travel_minutes: 39 }, false, t)).toBe('距宣讲地约 30 公里，车程约 39 分钟')
    expect(distanceLabel({ distance_km: 0, travel_minutes: 0 }, false, t)).toBe('与宣讲地同城')
    expect(distanceLabel({ distance_km: null, travel_minutes: null }, false, t)).toContain('路程未知')
    expect(distanceLabel(base, true, t)).toBe('线上宣讲，不计路程')
    expect(distanceLabel(base, false, translator('en'))).toBe('About 152 km away, 2 h by road')
  })
})
