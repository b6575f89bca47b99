import { describe, expect, it } from 'vitest'
import { init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { ScatterChart } from 'echarts/charts'
import { GridComponent } from 'echarts/components'
import { LabelLayout } from 'echarts/features'
import type { CampaignStatistics, StatisticsRegion } from '@/api'
import { barOption, labelWidth, mapWindow, pieOption, placeLabels, progressColour, regionMapOption, weeklyOption, type Labels } from './charts'

const labels: Labels = {
  sessions: '场次',
  audience: '受众',
  target: '目标',
  sessionsUnit: (n) => `${n} 场`,
  peopleUnit: (n) => `${n} 人`,
}

// The seats of Inner Mongolia's twelve leagues and cities (GB/T 2260 codes, lon/lat).
const SEATS: [string, string, number, number][] = [
  ['150100', '呼和浩特市', 111.75, 40.84],
  ['150200', '包头市', 109.95, 40.62],
  ['150300', '乌海市', 106.79, 39.66],
  ['150400', '赤峰市', 118.89, 42.26],
  ['150500', '通辽市', 122.26, 43.62],
  ['150600', '鄂尔多斯市', 109.78, 39.61],
  ['150700', '呼伦贝尔市', 119.77, 49.21],
  ['150800', '巴彦淖尔市', 107.39, 40.74],
  ['150900', '乌兰察布市', 113.13, 40.99],
  ['152200', '兴安盟', 122.07, 46.08],
  ['152500', '锡林郭勒盟', 116.05, 43.93],
  ['152900', '阿拉善盟', 105.73, 38.85],
]

function stats(): CampaignStatistics {
  const regions: StatisticsRegion[] = SEATS.map(([code, name, lon, lat], i) => ({
    code,
    name,
    lon,
    lat,
    sessions: 20 + i * 2,
    audience: 1000 * (i + 1),
    target_sessions: 30,
    target_audience: 4000,
  }))
  return {
    campaign_id: 1,
    organisation_id: null,
    totals: {
      sessions: 412,
      audience_offline: 1,
      online_viewers: 2,
      branch_headcount: 3,
      audience: 6,
      signed_in: 0,
      ratings: 0,
      average_rating: null,
      lecturers: 3,
    },
    orders: [],
    weekly: [
      { week_start: '2022-10-31', sessions: 3, audience: 300 },
      { week_start: '2022-11-07', sessions: 5, audience: 12000 },
    ],
    regions,
    audience_groups: [],
    lecturer_categories: [],
    industries: [],
    lecturers: [],
    targets: [],
  }
}

describe('weeklyOption', () => {
  it('has one bar and one point per week, labelled by Monday, audience on the right axis', () => {
    const o = weeklyOption(stats(), 'zh-CN', labels) as { xAxis: { data: string[] }; series: { type: string; data: number[]; yAxisIndex?: number }[] }
    expect(o.xAxis.data).toEqual(['10月31日', '11月7日'])
    expect(o.series.map((s) => s.type)).toEqual(['bar', 'line'])
    expect(o.series[0]?.data).toEqual([3, 5])
    expect(o.series[1]?.data).toEqual([300, 12000])
    expect(o.series[1]?.yAxisIndex).toBe(1)
  })
})

describe('the schematic map', () => {
  it('keeps one degree of longitude cos(latitude) as long as one of latitude', () => {
    const w = mapWindow(stats().regions, 1.25)
    const k = Math.cos((((w.latMin + w.latMax) / 2) * Math.PI) / 180)
    expect(((w.lonMax - w.lonMin) * k) / (w.latMax - w.latMin)).toBeCloseTo(1.25, 6)
    expect(w.lonMin).toBeLessThan(105.73)
    expect(w.latMax).toBeGreaterThan(49.21)
  })
  it('colours a league from pale to brand red as it nears its target', () => {
    expect(progressColour(0, true)).toBe('#f3c5c7')
    expect(progressColour(150, true)).toBe('#c8161d')
    expect(progressColour(50, false)).toBe('#8fa3bf')
  })
  it('places labels beside their bubbles without covering another bubble or label', () => {
    const points = [
      { cx: 100, cy: 100, size: 20, w: 60, h: 16 },
      { cx: 140, cy: 100, size: 20, w: 60, h: 16 },
      { cx: 120, cy: 130, size: 20, w: 60, h: 16 },
    ]
    const boxes = placeLabels(points, { w: 400, h: 300 })
    expect(boxes.every((b) => b !== null)).toBe(true)
    const all = [...boxes.map((b) => b!), ...points.map((p) => ({ x: p.cx - 10, y: p.cy - 10, w: 20, h: 20 }))]
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = 0; j < all.length; j += 1) {
        if (i === j || j === boxes.length + i) continue
        const a = all[i]!
        const b = all[j]!
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y
        expect(apart, `label ${i} against box ${j}`).toBe(true)
      }
    }
  })
  it('labels every league even where the seats crowd together (as on a phone)', () => {
    // Twelve seats packed into a narrow drawing: each still gets a label inside it.
    const points = Array.from({ length: 12 }, (_, i) => ({ cx: 60 + (i % 4) * 14, cy: 60 + Math.floor(i / 4) * 12, size: 12, w: 70, h: 16 }))
    const boxes = placeLabels(points, { w: 300, h: 200 })
    expect(boxes.every((b) => b !== null && b.x >= 0 && b.y >= 0 && b.x + b.w <= 300 && b.y + b.h <= 200)).toBe(true)
  })
  it('gives up only on a label wider than the drawing', () => {
    expect(placeLabels([{ cx: 5, cy: 5, size: 10, w: 500, h: 16 }], { w: 100, h: 100 })).toEqual([null])
  })
  it('measures CJK labels wider than digits', () => {
    expect(labelWidth('包头市 40')).toBe(3 * 12 + 3 * 7 + 2)
  })
  it('draws, through ECharts itself, every league with its label in the picture and none overlapping', () => {
    use([SVGRenderer, ScatterChart, GridComponent, LabelLayout])
    const chart = init(null, null, { renderer: 'svg', ssr: true, width: 620, height: 496 })
    chart.setOption(regionMapOption(stats(), 'zh-CN', labels))
    const svg = chart.renderToSVGString()
    chart.dispose()
    const texts = [...svg.matchAll(/<text[^>]*transform="translate\(([-\d.]+) ([-\d.]+)\)"[^>]*>([^<]*)<\/text>/g)]
      .map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3] ?? '' }))
      .filter((t) => SEATS.some(([, name]) => t.text.startsWith(name)))
    expect(texts).toHaveLength(12)
    const shown = texts.filter((t) => t.x >= 0 && t.y >= 0)
    // At this size (a desktop card) every league keeps its label.
    expect(shown).toHaveLength(12)
    for (const t of shown) expect(t.x + labelWidth(t.text)).toBeLessThanOrEqual(620)
    for (let i = 0; i < shown.length; i += 1) {
      for (let j = i + 1; j < shown.length; j += 1) {
        const a = shown[i]!
        const b = shown[j]!
        const apart = a.x + labelWidth(a.text) <= b.x || b.x + labelWidth(b.text) <= a.x || a.y + 16 <= b.y || b.y + 16 <= a.y
        expect(apart, `${a.text} / ${b.text}`).toBe(true)
      }
    }
  })
})

describe('breakdowns', () => {
  const slices = [
    { name: '一线职工', sessions: 5, audience: 500 },
    { name: '农牧民', sessions: 9, audience: 100 },
    { name: '空', sessions: 0, audience: 0 },
  ]
  it('sorts bars so that the largest stands at the top', () => {
    const o = barOption(slices, 'zh-CN', labels) as { yAxis: { data: string[] }; series: { data: number[] }[] }
    expect(o.yAxis.data).toEqual(['空', '一线职工', '农牧民'])
    expect(o.series[0]?.data).toEqual([0, 5, 9])
  })
  it('leaves empty groups out of the donut, which shows audience', () => {
    const o = pieOption(slices, 'zh-CN', labels, false) as { series: { data: { name: string; value: number }[] }[] }
    expect(o.series[0]?.data.map((d) => [d.name, d.value])).toEqual([
      ['一线职工', 500],
      ['农牧民', 100],
    ])
  })
})
