import { describe, expect, it } from 'vitest'
import { duration, percent, stars, yearsFilled, yearsOption } from './scorecard'

const t = (key: string, values?: Record<string, unknown>) => `${key}:${values?.n ?? ''}`

describe('scorecard figures', () => {
  it('says a wait in the unit a person would use', () => {
    expect(duration(null, t)).toBe('scorecard.none:')
    expect(duration(20, t)).toBe('scorecard.minutes:1')
    expect(duration(45 * 60, t)).toBe('scorecard.minutes:45')
    expect(duration(3.5 * 3600, t)).toBe('scorecard.hours:3.5')
    expect(duration(3 * 86400, t)).toBe('scorecard.days:3')
  })

  it('shows rates and averages or a dash', () => {
    expect(percent(0.857, t)).toBe('85.7%')
    expect(percent(null, t)).toBe('scorecard.none:')
    expect(stars(4.5, t)).toBe('4.50')
    expect(stars(null, t)).toBe('scorecard.none:')
  })

  it('fills the quiet years between the first and the last', () => {
    const years = yearsFilled([
      { code: '2022', name: '', name_en: '', sessions: 7, audience: 100 },
      { code: '2025', name: '', name_en: '', sessions: 2, audience: 30 },
    ])
    expect(years.map((y) => [y.code, y.sessions])).toEqual([
      ['2022', 7],
      ['2023', 0],
      ['2024', 0],
      ['2025', 2],
    ])
    expect(yearsFilled([])).toEqual([])
    const option = yearsOption(years, '场次', '人数') as { series: { data: number[] }[] }
    expect(option.series[0]?.data).toEqual([7, 0, 0, 2])
  })
})
