// The scorecard's figures as the page shows them: durations in the largest whole unit, rates as
// percentages, and the chart of sessions by year (plain ECharts options, testable without a
// browser; drawn by the dashboard's own chart component).
import type { ChartOption } from '@/pages/dashboard/charts'
import { BRAND } from '@/pages/dashboard/charts'
import type { ScorecardCount } from '@/api'

type Translate = (key: string, values?: Record<string, unknown>) => string

/** "45 分钟", "3.5 小时", "2 天": the unit a person would say; "—" when there is none. */
export function duration(seconds: number | null, t: Translate): string {
  if (seconds === null || seconds < 0) return t('scorecard.none')
  const minutes = seconds / 60
  if (minutes < 60) return t('scorecard.minutes', { n: Math.max(1, Math.round(minutes)) })
  const hours = minutes / 60
  if (hours < 48) return t('scorecard.hours', { n: Math.round(hours * 10) / 10 })
  return t('scorecard.days', { n: Math.round((hours / 24) * 10) / 10 })
}

/** 0.857 → "85.7%"; "—" when nothing was dispatched. */
export function percent(rate: number | null, t: Translate): string {
  if (rate === null) return t('scorecard.none')
  return `${Math.round(rate * 1000) / 10}%`
}

/** An average rating with one decimal, or "—". */
export function stars(average: number | null, t: Translate): string {
  return average === null ? t('scorecard.none') : average.toFixed(2)
}

/** Every year from the first to the last with sessions, quiet years as zero. */
export function yearsFilled(byYear: readonly ScorecardCount[]): ScorecardCount[] {
  const known = byYear.filter((c) => /^\d{4}$/.test(c.code))
  if (known.length === 0) return []
  const years = known.map((c) => Number(c.code))
  const out: ScorecardCount[] = []
  for (let y = Math.min(...years); y <= Math.max(...years); y++) {
    out.push(known.find((c) => Number(c.code) === y) ?? { code: String(y), name: '', name_en: '', sessions: 0, audience: 0 })
  }
  return out
}

/** Vertical bars of sessions per year, people reached in the tooltip. */
export function yearsOption(byYear: readonly ScorecardCount[], sessionsLabel: string, audienceLabel: string): ChartOption {
  const years = yearsFilled(byYear)
  return {
    color: [BRAND],
    animation: false,
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const list = Array.isArray(params) ? (params as { dataIndex: number }[]) : []
        const y = years[list[0]?.dataIndex ?? -1]
        return y ? `${y.code}<br/>${sessionsLabel}：${y.sessions}<br/>${audienceLabel}：${y.audience}` : ''
      },
    },
    xAxis: { type: 'category', data: years.map((y) => y.code), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: sessionsLabel,
        data: years.map((y) => y.sessions),
        barMaxWidth: 28,
        label: { show: true, position: 'top' },
        itemStyle: { borderRadius: [3, 3, 0, 0] },
      },
    ],
  }
}
