import { describe, expect, it } from 'vitest'
import type { Campaign, StatisticsTarget } from '@/api'
import { defaultCampaign, formatCount, formatRating, percentOf, periodAsCampaign, progressText, targetRows, todayInShanghai, weekLabel, weekLabels, weekRange, yearOnYear } from './figures'

describe('formatCount', () => {
  it('shows counts below ten thousand exactly, with grouping', () => {
    expect(formatCount(0, 'zh-CN')).toBe('0')
    expect(formatCount(9876, 'zh-CN')).toBe('9,876')
  })
  it('writes larger counts in 万 and 亿 with at most two decimals, never rounding up', () => {
    expect(formatCount(10000, 'zh-CN')).toBe('1万')
    expect(formatCount(12345, 'zh-CN')).toBe('1.23万')
    expect(formatCount(404286, 'zh-CN')).toBe('40.42万')
    expect(formatCount(99999, 'zh-CN')).toBe('9.99万')
    expect(formatCount(12000000, 'zh-CN')).toBe('1,200万')
    expect(formatCount(123456789, 'zh-CN')).toBe('1.23亿')
  })
  it('uses M and B in English', () => {
    expect(formatCount(12345, 'en')).toBe('12,345')
    expect(formatCount(1234567, 'en')).toBe('1.23M')
    expect(formatCount(2500000000, 'en')).toBe('2.5B')
  })
  it('keeps the sign and copes with nonsense', () => {
    expect(formatCount(-12345, 'zh-CN')).toBe('-1.23万')
    expect(formatCount(Number.NaN, 'zh-CN')).toBe('—')
  })
})

describe('formatRating and percentOf', () => {
  it('rounds a rating to one decimal, or a dash when nobody rated', () => {
    expect(formatRating(4.551369863013699, 'zh-CN')).toBe('4.6')
    expect(formatRating(4, 'en')).toBe('4.0')
    expect(formatRating(null, 'zh-CN')).toBe('—')
  })
  it('floors percentages, leaves them uncapped, and is 0 without a target', () => {
    expect(percentOf(29, 30)).toBe(96)
    expect(percentOf(30, 30)).toBe(100)
    expect(percentOf(412, 400)).toBe(103)
    expect(percentOf(5, 0)).toBe(0)
  })
})

describe('week labels', () => {
  it('labels a week by its Monday', () => {
    expect(weekLabel('2022-10-31', 'zh-CN')).toBe('10月31日')
    expect(weekLabel('2022-11-07', 'en')).toBe('7 Nov')
  })
  it('spells out the whole week, the year once unless the week spans two', () => {
    expect(weekRange('2022-10-31', 'zh-CN')).toBe('2022年10月31日–11月6日')
    expect(weekRange('2022-12-26', 'zh-CN')).toBe('2022年12月26日–2023年1月1日')
    expect(weekRange('2022-10-31', 'en')).toBe('31 Oct – 6 Nov 2022')
    expect(weekRange('2022-12-26', 'en')).toBe('26 Dec 2022 – 1 Jan 2023')
  })
  it('leaves what is not a date alone', () => {
    expect(weekLabel('soon', 'zh-CN')).toBe('soon')
  })
})

describe('defaultCampaign', () => {
  const c = (id: number, start_date: string, end_date: string): Campaign => ({
    id,
    title: `c${id}`,
    owner_organisation_id: 1,
    start_date,
    end_date,
    description: '',
    targets: [],
  })
  const list = [c(1, '2022-11-01', '2023-01-31'), c(2, '2023-03-01', '2023-05-31'), c(3, '2023-05-01', '2023-06-30')]
  it('opens on the campaign running today, the latest-starting of several', () => {
    expect(defaultCampaign(list, '2022-12-01')?.id).toBe(1)
    expect(defaultCampaign(list, '2023-05-15')?.id).toBe(3)
  })
  it('else on the one that ended last, else the first to come', () => {
    expect(defaultCampaign(list, '2026-12-03')?.id).toBe(3)
    expect(defaultCampaign(list, '2023-02-10')?.id).toBe(1)
    expect(defaultCampaign(list, '2020-01-01')?.id).toBe(1)
    expect(defaultCampaign([], '2020-01-01')).toBeNull()
  })
  it('knows the date in Beijing', () => {
    expect(todayInShanghai(new Date('2026-12-03T17:00:00Z'))).toBe('2026-12-04')
    expect(todayInShanghai(new Date('2026-12-03T15:59:00Z'))).toBe('2026-12-03')
  })
})

describe('targetRows', () => {
  const t = (region_code: string, audience_group: string, sessions: number, sessions_target: number): StatisticsTarget => ({
    region_code,
    region_name: region_code ? `r${region_code}` : '',
    audience_group,
    sessions,
    sessions_target,
    audience: 0,
    audience_target: 0,
  })
  it('puts campaign-wide targets first, then leagues by code, with percentages', () => {
    const rows = targetRows([t('150200', '', 29, 30), t('', 'miners', 5, 20), t('', '', 412, 400), t('150100', '', 43, 30)])
    expect(rows.map((r) => r.key)).toEqual(['|', '|miners', '150100|', '150200|'])
    expect(rows.map((r) => r.sessions_percent)).toEqual([103, 25, 143, 96])
    expect(rows[0]?.audience_percent).toBe(0)
  })
})

describe('weekLabels', () => {
  it('leaves the year out within one year', () => {
    expect(weekLabels(['2026-11-02', '2026-11-09'], 'zh-CN')).toEqual(['11月2日', '11月9日'])
  })
  it('writes the year on the first week and the first of each new year when the weeks cross one', () => {
    expect(weekLabels(['2026-12-21', '2026-12-28', '2027-01-04', '2027-01-11'], 'zh-CN'))
      .toEqual(['2026年12月21日', '12月28日', '2027年1月4日', '1月11日'])
    expect(weekLabels(['2026-12-28', '2027-01-04'], 'en')).toEqual(['28 Dec 2026', '4 Jan 2027'])
  })
})

describe('progressText', () => {
  const t = (key: string, values?: Record<string, unknown>): string => `${key}:${String(values?.percent)}`
  it('shows the share up to the target and by how much it was exceeded beyond it', () => {
    expect(progressText(87, t)).toBe('87%')
    expect(progressText(100, t)).toBe('100%')
    expect(progressText(112, t)).toBe('wording.overTarget:12')
  })
})

describe('year on year', () => {
  it('gives the change in percent with one decimal and its sign, none without a year before', () => {
    expect(yearOnYear(125, 100, 'zh-CN')).toBe('+25%')
    expect(yearOnYear(97, 120, 'zh-CN')).toBe('−19.2%')
    expect(yearOnYear(100, 100, 'en')).toBe('0%')
    expect(yearOnYear(5, 0, 'zh-CN')).toBeNull()
  })
  it('draws a period as a campaign without targets, its leagues on the map', () => {
    const shaped = periodAsCampaign({
      from: '2022-12-01', to: '2023-01-15', previous_from: '2021-12-01', previous_to: '2022-01-15',
      campaign_ids: [], organisation_id: null,
      totals: { sessions: 2, audience_offline: 10, online_viewers: 0, branch_headcount: 0, audience: 10, signed_in: 0, ratings: 0, average_rating: null, lecturers: 1 },
      previous: { sessions: 1, audience_offline: 5, online_viewers: 0, branch_headcount: 0, audience: 5, signed_in: 0, ratings: 0, average_rating: null, lecturers: 1 },
      orders: [], counties: [], formats: [], months: [], weekly: [], lecturers: [],
      leagues: [{ code: '150200', name: '包头市', lat: 40.6, lon: 109.8, sessions: 2, audience: 10, previous_sessions: 1, previous_audience: 5 }],
      industries: [{ code: 'C', sessions: 2, audience: 10, previous_sessions: 0, previous_audience: 0 }],
      audience_groups: [], lecturer_categories: [],
    })
    expect(shaped.regions).toEqual([{ code: '150200', name: '包头市', lat: 40.6, lon: 109.8, sessions: 2, audience: 10, target_sessions: 0, target_audience: 0 }])
    expect(shaped.industries).toEqual([{ code: 'C', sessions: 2, audience: 10 }])
    expect(shaped.targets).toEqual([])
  })
})

