import { describe, expect, it } from 'vitest'
import { changePercent, periodText, summaryText, type SummaryInput } from './summary'

const base: SummaryInput = {
  from: '2022-10-01',
  to: '2022-12-31',
  scope: '全区',
  sessions: 1234,
  audience: 56_200,
  previousSessions: 1100,
  previousAudience: 60_000,
  ratings: 456,
  averageRating: 4.66,
  signedIn: 789,
  places: [
    { name: '呼和浩特市', sessions: 300, audience: 9000 },
    { name: '包头市', sessions: 320, audience: 8000 },
    { name: '鄂尔多斯市', sessions: 200, audience: 12_000 },
    { name: '阿拉善盟', sessions: 0, audience: 0 },
  ],
  groups: [
    { name: '一线职工', sessions: 600, audience: 30_000 },
    { name: '新就业形态劳动者', sessions: 100, audience: 5000 },
  ],
  target: { sessions: 1234, sessionsTarget: 1500, audience: 56_200, audienceTarget: 50_000 },
}

describe('periodText', () => {
  it('names the year once when both ends share it', () => {
    expect(periodText('2022-10-01', '2022-12-31', 'zh-CN')).toBe('2022年10月1日至12月31日')
    expect(periodText('2022-10-01', '2022-12-31', 'en')).toBe('1 Oct to 31 Dec 2022')
  })
  it('names both years across a new year, and one day once', () => {
    expect(periodText('2022-12-01', '2023-01-31', 'zh-CN')).toBe('2022年12月1日至2023年1月31日')
    expect(periodText('2022-12-01', '2023-01-31', 'en')).toBe('1 Dec 2022 to 31 Jan 2023')
    expect(periodText('2023-03-08', '2023-03-08', 'zh-CN')).toBe('2023年3月8日')
  })
})

describe('changePercent', () => {
  it('rounds to whole percent and gives none without a year before', () => {
    expect(changePercent(1234, 1100)).toBe(12)
    expect(changePercent(90, 100)).toBe(-10)
    expect(changePercent(5, 0)).toBeNull()
    expect(changePercent(5, null)).toBeNull()
  })
})

describe('summaryText', () => {
  it('writes the figures in Chinese as a report does', () => {
    expect(summaryText(base, 'zh-CN')).toBe(
      '2022年10月1日至12月31日，全区共开展宣讲 1,234 场，覆盖职工 5.62万 人次，场次同比增长 12%，人次同比下降 6%。' +
        '包头市场次最多（320 场）；鄂尔多斯市覆盖人次最多（1.2万 人次）；阿拉善盟尚未开展宣讲。' +
        '从宣讲对象看，一线职工覆盖人次最多（3万 人次）。' +
        '收到听众评价 456 条，平均 4.7 分，扫码签到 789 人次。' +
        '对照活动目标，场次目标 1,500 场，完成 82%；人次目标 5万 人次，完成 112%。',
    )
  })

  it('writes the same in English', () => {
    expect(summaryText({ ...base, scope: 'the region' }, 'en')).toBe(
      'From 1 Oct to 31 Dec 2022, the region held 1,234 lectures reaching 56,200 workers (lectures up 12% on the same period last year; audience down 6% on the same period last year). ' +
        '包头市 held the most lectures (320); 鄂尔多斯市 reached the most workers (12,000); 阿拉善盟 has had no lecture yet. ' +
        'Of the audience groups, 一线职工 were reached most (30,000). ' +
        '456 ratings averaged 4.7 out of 5; 789 listeners signed in by QR code. ' +
        "Against the campaign's targets: 82% of the 1,500 lectures planned, 112% of the audience of 50,000.",
    )
  })

  it('says so when nothing was recorded, and leaves out what it has no figure for', () => {
    expect(summaryText({ ...base, sessions: 0, audience: 0, scope: '包头市总工会' }, 'zh-CN')).toBe(
      '2022年10月1日至12月31日，包头市总工会尚未开展宣讲。',
    )
    const bare = summaryText(
      { ...base, previousSessions: 0, previousAudience: null, ratings: 0, averageRating: null, signedIn: 0, places: [], groups: [], target: null },
      'zh-CN',
    )
    expect(bare).toBe('2022年10月1日至12月31日，全区共开展宣讲 1,234 场，覆盖职工 5.62万 人次。')
  })

  it('names one place once when it leads in both, and lists many idle places by count', () => {
    const idle = Array.from({ length: 7 }, (_, i) => ({ name: `地区${i + 1}`, sessions: 0, audience: 0 }))
    const text = summaryText({ ...base, places: [{ name: '包头市', sessions: 9, audience: 900 }, ...idle] }, 'zh-CN')
    expect(text).toContain('包头市场次最多（9 场），覆盖 900 人次，亦居首位；地区1、地区2、地区3、地区4、地区5等 7 个地区尚未开展宣讲。')
    const en = summaryText({ ...base, places: [{ name: 'Baotou', sessions: 9, audience: 900 }, ...idle] }, 'en')
    expect(en).toContain('Baotou held the most lectures (9) and reached the most workers (900); 地区1, 地区2, 地区3, 地区4, 地区5 and 2 more places have had no lecture yet.')
  })

  it('compares no places when the scope is one place', () => {
    const text = summaryText({ ...base, places: [{ name: '包头市', sessions: 9, audience: 900 }] }, 'zh-CN')
    expect(text).not.toContain('场次最多')
  })
})
