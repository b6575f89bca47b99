// ECharts options of the dashboard, built from the statistics as plain data (no ECharts code
// runs here, only its types), so that they can be tested without a browser. Text comes in
// already translated through `Labels`.
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption, ScatterSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import type { CampaignStatistics, StatisticsRegion } from '@/api'
import { formatCount, percentOf, weekLabels, weekRange } from './figures'

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>

export const BRAND = '#c8161d'
export const BRAND_LIGHT = '#eeb9bb'
export const GOLD = '#d4a017'
/** Enough distinct, print-safe colours for the pie slices. */
export const PALETTE = ['#c8161d', '#d4a017', '#2f7ed8', '#3a9e5c', '#8e5cc4', '#e07b39', '#4bb3c4', '#9aa1a9', '#b5527a', '#6b8e23']

export interface Labels {
  sessions: string
  audience: string
  target: string
  /** "{n} 场" */
  sessionsUnit: (n: number) => string
  /** "{n} 人" */
  peopleUnit: (n: number) => string
}

const TEXT = '#303133'
const MUTED = '#909399'

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Sessions (bars, left axis) and audience (line, right axis) week by week. */
export function weeklyOption(s: CampaignStatistics, locale: string, l: Labels): ChartOption {
  const weeks = s.weekly
  const labels = weekLabels(weeks.map((w) => w.week_start), locale)
  // The weeks that carry their year are always labelled; the others every `step` weeks, and
  // not right beside a year-carrying one (ECharts would otherwise skip the year's label).
  const carriesYear = labels.map((label, i) => i === 0 || /\d{4}/.test(label))
  const step = Math.max(1, Math.ceil(weeks.length / 7))
  const shown = (i: number): boolean =>
    Boolean(carriesYear[i]) ||
    (i % step === 0 && !carriesYear.some((y, j) => y && j !== i && Math.abs(j - i) < step))
  return {
    color: [BRAND, GOLD],
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: [l.sessions, l.audience], textStyle: { color: TEXT } },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : []
        const w = weeks[list[0]?.dataIndex ?? -1]
        if (!w) return ''
        return [
          escape(weekRange(w.week_start, locale)),
          `${escape(l.sessions)}：${escape(l.sessionsUnit(w.sessions))}`,
          `${escape(l.audience)}：${escape(l.peopleUnit(w.audience))}`,
        ].join('<br/>')
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { color: MUTED, hideOverlap: true, interval: (i: number) => shown(i) },
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      { type: 'value', name: l.sessions, minInterval: 1, axisLabel: { color: MUTED }, nameTextStyle: { color: MUTED } },
      {
        type: 'value',
        name: l.audience,
        minInterval: 1,
        splitLine: { show: false },
        axisLabel: { color: MUTED, formatter: (v: number) => formatCount(v, locale) },
        nameTextStyle: { color: MUTED },
      },
    ],
    series: [
      { type: 'bar', name: l.sessions, data: weeks.map((w) => w.sessions), barMaxWidth: 24, itemStyle: { borderRadius: [3, 3, 0, 0] } },
      { type: 'line', name: l.audience, yAxisIndex: 1, data: weeks.map((w) => w.audience), smooth: 0.2, symbolSize: 6 },
    ],
  }
}

/**
 * The lon/lat window of the schematic map: the seats plus a margin, widened so that one degree
 * of longitude is drawn cos(latitude) as long as one of latitude when the drawing area has the
 * aspect ratio `aspect` (width / height). Inner Mongolia's seats give about 104°–124° E, 37°–51° N.
 */
export function mapWindow(
  regions: readonly Pick<StatisticsRegion, 'lat' | 'lon'>[],
  aspect: number,
): { lonMin: number; lonMax: number; latMin: number; latMax: number } {
  const placed = regions.filter((r) => r.lat !== null && r.lon !== null) as { lat: number; lon: number }[]
  if (placed.length === 0) return { lonMin: 0, lonMax: 1, latMin: 0, latMax: 1 }
  let lonMin = Math.min(...placed.map((r) => r.lon)) - 1.5
  let lonMax = Math.max(...placed.map((r) => r.lon)) + 1.5
  let latMin = Math.min(...placed.map((r) => r.lat)) - 1.2
  let latMax = Math.max(...placed.map((r) => r.lat)) + 1.2
  const k = Math.cos((((latMin + latMax) / 2) * Math.PI) / 180)
  // Drawn width and height in "latitude degrees"; grow the smaller side around its centre.
  const w = (lonMax - lonMin) * k
  const h = latMax - latMin
  if (w / h < aspect) {
    const grow = (aspect * h) / k - (lonMax - lonMin)
    lonMin -= grow / 2
    lonMax += grow / 2
  } else {
    const grow = w / aspect - h
    latMin -= grow / 2
    latMax += grow / 2
  }
  return { lonMin, lonMax, latMin, latMax }
}

/** The colour of a progress bar: green once the target is met, blue on the way. */
export function progressBarColour(percent: number): string {
  return percent >= 100 ? '#67c23a' : '#409eff'
}

/** The colour of a league by its share of the sessions target: pale below, brand red at 100 %. */
export function progressColour(percent: number, hasTarget: boolean): string {
  if (!hasTarget) return '#8fa3bf'
  const p = Math.max(0, Math.min(100, percent)) / 100
  // From #f3c5c7 (nothing yet) to #c8161d (target met).
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * p)
  const hex = (n: number): string => n.toString(16).padStart(2, '0')
  return `#${hex(mix(0xf3, 0xc8))}${hex(mix(0xc5, 0x16))}${hex(mix(0xc7, 0x1d))}`
}

export const MAP_ASPECT = 1.25
/** The map's grid inset, in pixels, on every side. */
const MAP_INSET = 4

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/** A bubble on the map (centre and diameter, pixels) and the size of its label. */
export interface LabelPoint {
  cx: number
  cy: number
  size: number
  w: number
  h: number
}

/**
 * Places each label beside its bubble where it covers no other bubble, no label placed before
 * it and stays inside `bounds`, trying right, left, above, below, the four corners and then a
 * little farther out, in the order given (put the most important first). A label that fits
 * nowhere gets null: the page leaves it out (the tooltip and the table beside the map still
 * name the league).
 */
export function placeLabels(points: readonly LabelPoint[], bounds: { w: number; h: number }): (Box | null)[] {
  const bubbles: Box[] = points.map((p) => ({ x: p.cx - p.size / 2, y: p.cy - p.size / 2, w: p.size, h: p.size }))
  const placed: Box[] = []
  return points.map((p, i) => {
    const r = p.size / 2
    const gap = 3
    const candidates: [number, number][] = [
      [p.cx + r + gap, p.cy - p.h / 2],
      [p.cx - r - gap - p.w, p.cy - p.h / 2],
      [p.cx - p.w / 2, p.cy - r - gap - p.h],
      [p.cx - p.w / 2, p.cy + r + gap],
      [p.cx + r * 0.7, p.cy - r * 0.7 - p.h],
      [p.cx + r * 0.7, p.cy + r * 0.7],
      [p.cx - r * 0.7 - p.w, p.cy - r * 0.7 - p.h],
      [p.cx - r * 0.7 - p.w, p.cy + r * 0.7],
      // Farther out, still next to the bubble.
      [p.cx + r + gap, p.cy - r - p.h],
      [p.cx + r + gap, p.cy + r],
      [p.cx - r - gap - p.w, p.cy - r - p.h],
      [p.cx - r - gap - p.w, p.cy + r],
    ]
    const inside = (box: Box): boolean => box.x >= 0 && box.y >= 0 && box.x + p.w <= bounds.w && box.y + p.h <= bounds.h
    for (const [x, y] of candidates) {
      const box = { x, y, w: p.w, h: p.h }
      if (!inside(box)) continue
      if (placed.some((b) => overlap(b, box) > 0)) continue
      if (bubbles.some((b, j) => j !== i && overlap(b, box) > 0)) continue
      placed.push(box)
      return box
    }
    // Every league is labelled (issue 14): where its neighbours crowd it, the label moves
    // farther out, and at worst goes where it covers the least of the others.
    let best: Box | null = null
    let bestCost = Infinity
    for (const step of [1, 2, 3, 4, 6]) {
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [1, 1], [-1, -1], [-1, 1]] as const) {
        const x = p.cx + dx * (r + gap + (step - 1) * p.h) - (dx < 0 ? p.w : dx === 0 ? p.w / 2 : 0)
        const y = p.cy + dy * (r + gap + (step - 1) * p.h) - (dy < 0 ? p.h : dy === 0 ? p.h / 2 : 0)
        const box = {
          x: Math.min(Math.max(0, x), bounds.w - p.w),
          y: Math.min(Math.max(0, y), bounds.h - p.h),
          w: p.w,
          h: p.h,
        }
        if (!inside(box)) continue
        const cost =
          placed.reduce((sum, b) => sum + 4 * overlap(b, box), 0) +
          bubbles.reduce((sum, b, j) => sum + (j !== i ? overlap(b, box) : 0), 0) +
          step
        if (cost < bestCost) {
          best = box
          bestCost = cost
        }
      }
    }
    if (best) placed.push(best)
    return best
  })
}

/** The width in pixels a 12 px label of `text` takes, near enough: CJK wide, the rest narrow. */
export function labelWidth(text: string): number {
  let w = 0
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 12 : 7
  return w + 2
}

/**
 * The schematic map: every league's seat at its longitude and latitude, a bubble sized by
 * sessions and coloured by progress towards its sessions target, labelled with name and count.
 * No boundaries are drawn (see docs: no suitably licensed boundary data on the registry).
 */
export function regionMapOption(
  s: CampaignStatistics,
  locale: string,
  l: Labels,
  { compact = false, targets = true }: { compact?: boolean; targets?: boolean } = {},
): ChartOption {
  const win = mapWindow(s.regions, MAP_ASPECT)
  const most = Math.max(1, ...s.regions.map((r) => r.sessions))
  const text = (r: StatisticsRegion): string => `${r.name} ${formatCount(r.sessions, locale)}`
  const data = s.regions
    .filter((r) => r.lat !== null && r.lon !== null)
    .map((r) => {
      const percent = percentOf(r.sessions, r.target_sessions)
      return {
        name: r.name,
        value: [r.lon as number, r.lat as number, r.sessions, r.audience],
        symbolSize: compact ? 8 + 12 * Math.sqrt(r.sessions / most) : 10 + 22 * Math.sqrt(r.sessions / most),
        itemStyle: { color: targets ? progressColour(percent, r.target_sessions > 0) : BRAND, borderColor: '#fff', borderWidth: 1, opacity: 0.9 },
        region: r,
      }
    })
  let layout: (Box | null)[] | null = null
  function layoutLabels(index: number, rect: { x: number; y: number; width: number; height: number }): (Box | null)[] | null {
    const d = data[index]
    if (!d) return null
    const [lon, lat] = d.value as [number, number]
    const fx = (lon - win.lonMin) / (win.lonMax - win.lonMin)
    const fy = (win.latMax - lat) / (win.latMax - win.latMin)
    if (!(fx > 0) || !(fy > 0)) return null
    const width = (rect.x + rect.width / 2 - MAP_INSET) / fx
    const height = (rect.y + rect.height / 2 - MAP_INSET) / fy
    const points = data.map((e) => {
      const [x, y] = e.value as [number, number]
      return {
        cx: MAP_INSET + ((x - win.lonMin) / (win.lonMax - win.lonMin)) * width,
        cy: MAP_INSET + ((win.latMax - y) / (win.latMax - win.latMin)) * height,
        size: e.symbolSize,
        w: labelWidth(text(e.region)),
        h: 16,
      }
    })
    // The leagues with most sessions choose first.
    const order = points.map((_, i) => i).sort((a, b) => (data[b]?.region.sessions ?? 0) - (data[a]?.region.sessions ?? 0))
    const boxes = placeLabels(order.map((i) => points[i] as LabelPoint), { w: width + 2 * MAP_INSET, h: height + 2 * MAP_INSET })
    const out: (Box | null)[] = new Array(points.length).fill(null)
    order.forEach((i, k) => (out[i] = boxes[k] ?? null))
    return out
  }
  // A graticule every 5 degrees, labelled inside the drawing: some geography without borders.
  const axis = (min: number, max: number, unit: string): Record<string, unknown> => {
    const lines: number[] = []
    for (let v = Math.ceil(min / 5) * 5; v < max; v += 5) lines.push(v)
    return {
      type: 'value',
      min,
      max,
      axisLine: { show: false },
      axisTick: { show: false, customValues: lines },
      splitLine: { lineStyle: { color: '#ebeef5', type: 'dashed' } },
      axisLabel: { inside: true, color: '#c0c4cc', fontSize: 10, customValues: lines, formatter: (v: number) => `${v}°${unit}` },
    }
  }
  return {
    animation: false,
    grid: { left: MAP_INSET, right: MAP_INSET, top: MAP_INSET, bottom: MAP_INSET },
    xAxis: axis(win.lonMin, win.lonMax, 'E'),
    yAxis: axis(win.latMin, win.latMax, 'N'),
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const r = (p as { data?: { region?: StatisticsRegion } }).data?.region
        if (!r) return ''
        const line = (label: string, done: number, target: number, unit: (n: number) => string): string =>
          `${escape(label)}：${escape(unit(done))}${targets && target > 0 ? ` / ${escape(unit(target))}（${percentOf(done, target)}%）` : ''}`
        return [
          `<strong>${escape(r.name)}</strong>`,
          line(l.sessions, r.sessions, r.target_sessions, l.sessionsUnit),
          line(l.audience, r.audience, r.target_audience, l.peopleUnit),
        ].join('<br/>')
      },
    },
    series: [
      {
        type: 'scatter',
        data,
        label: {
          show: true,
          position: 'right',
          color: TEXT,
          fontSize: 12,
          lineHeight: 16,
          formatter: (p: unknown) => text((p as { data: { region: StatisticsRegion } }).data.region),
        },
        // Seats of neighbouring cities sit close (Hohhot, Baotou, Ordos): move labels apart.
        labelLayout: (params: { dataIndex: number; rect: { x: number; y: number; width: number; height: number } }) => {
          // ECharts asks label by label; the first answer places them all, from the pixel
          // position of this label's bubble (which gives the drawing's scale).
          if (params.dataIndex === 0 || layout === null) layout = layoutLabels(params.dataIndex, params.rect)
          const box = layout?.[params.dataIndex]
          if (box === undefined) return {}
          // No room beside its bubble: out of sight (labelLayout cannot hide a label itself).
          if (box === null) return { x: -1000, y: -1000 }
          return { x: box.x, y: box.y, align: 'left', verticalAlign: 'top' }
        },
        emphasis: { scale: 1.15, label: { fontWeight: 'bold' } },
      },
    ],
  } as ChartOption
}

export interface NamedSlice {
  name: string
  sessions: number
  audience: number
}

/** A donut of audience by group (the slices people care about: who was reached). */
export function pieOption(slices: readonly NamedSlice[], locale: string, l: Labels, phone: boolean): ChartOption {
  const data = slices.filter((x) => x.audience > 0 || x.sessions > 0).map((x) => ({ name: x.name, value: x.audience, sessions: x.sessions }))
  return {
    color: PALETTE,
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const q = p as { name: string; value: number; percent: number; data: { sessions: number } }
        return `${escape(q.name)}<br/>${escape(l.audience)}：${escape(l.peopleUnit(q.value))}（${q.percent}%）<br/>${escape(l.sessions)}：${escape(l.sessionsUnit(q.data.sessions))}`
      },
    },
    legend: {
      orient: 'vertical' as const,
      top: 'middle',
      itemGap: 8,
      // The donut keeps the left half, the legend the right (truncated; the tooltip has it all).
      ...(phone ? { left: 0 } : { left: '50%' }),
      textStyle: { color: TEXT, width: 165, overflow: 'truncate' },
      formatter: (name: string) => {
        const x = data.find((d) => d.name === name)
        return x ? `${name} ${formatCount(x.value, locale)}` : name
      },
    },
    series: [
      {
        type: 'pie',
        radius: phone ? ['32%', '56%'] : ['34%', '58%'],
        center: phone ? ['76%', '50%'] : ['25%', '50%'],
        data,
        label: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
      },
    ],
  }
}

/** Horizontal bars of sessions (and audience in the tooltip), largest at the top. */
export function barOption(slices: readonly NamedSlice[], locale: string, l: Labels, colour = BRAND): ChartOption {
  const sorted = [...slices].sort((a, b) => a.sessions - b.sessions || a.audience - b.audience)
  return {
    color: [colour],
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : []
        const x = sorted[list[0]?.dataIndex ?? -1]
        if (!x) return ''
        return `${escape(x.name)}<br/>${escape(l.sessions)}：${escape(l.sessionsUnit(x.sessions))}<br/>${escape(l.audience)}：${escape(l.peopleUnit(x.audience))}`
      },
    },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: MUTED } },
    yAxis: {
      type: 'category',
      data: sorted.map((x) => x.name),
      axisLabel: { color: TEXT, width: 110, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: l.sessions,
        data: sorted.map((x) => x.sessions),
        barMaxWidth: 16,
        label: { show: true, position: 'right', color: MUTED, formatter: (p: unknown) => formatCount((p as { value: number }).value, locale) },
        itemStyle: { borderRadius: [0, 3, 3, 0] },
      },
    ],
  }
}
