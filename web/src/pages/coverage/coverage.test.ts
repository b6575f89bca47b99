import { describe, expect, it } from 'vitest'
import type { CoverageCell, CoverageMatrix } from '@/api'
import { crossesYear, gaps, heatLevel, isGap, largest, periodLabel, shortfall } from './coverage'

function cell(sessions: number, audience: number, mark: CoverageCell['mark'], expected = 0): CoverageCell {
  return { sessions, audience, expected_sessions: expected, expected_audience: 0, targeted: expected > 0, mark }
}

const matrix: CoverageMatrix = {
  columns: [
    { key: '2023-02-27', name: '', name_en: '', first: '2023-03-01', last: '2023-03-05', total: cell(1, 58, 'behind', 2) },
    { key: '2023-03-06', name: '', name_en: '', first: '2023-03-06', last: '2023-03-12', total: cell(0, 0, 'empty') },
  ],
  rows: [
    { code: '150100', name: '呼和浩特市', parent: '', level: 'city', cells: [cell(0, 0, 'empty'), cell(0, 0, 'empty')], total: cell(0, 0, 'empty') },
    { code: '150200', name: '包头市, "钢城"', parent: '', level: 'city', cells: [cell(1, 58, 'behind', 3), cell(4, 300, 'ok')], total: cell(5, 358, 'ok') },
  ],
  total: cell(5, 358, 'ok'),
}

describe('coverage matrix helpers', () => {
  it('shades nothing as 0 and the busiest cell darkest, anything else at least 1', () => {
    expect(heatLevel(0, 10)).toBe(0)
    expect(heatLevel(10, 10)).toBe(5)
    expect(heatLevel(1, 1000)).toBe(1)
    expect(heatLevel(5, 10)).toBe(3)
    expect(heatLevel(3, 0)).toBe(0)
    expect(largest(matrix, 'sessions')).toBe(4)
    expect(largest(matrix, 'audience')).toBe(300)
  })
  it('calls empty and behind cells gaps, ok and future ones not', () => {
    expect([isGap('empty'), isGap('behind'), isGap('ok'), isGap('future')]).toEqual([true, true, false, false])
    expect(gaps(matrix).map((g) => [g.row, g.column, g.mark])).toEqual([
      [0, 0, 'empty'],
      [0, 1, 'empty'],
      [1, 0, 'behind'],
    ])
    expect(shortfall(matrix.rows[1]!.cells[0]!, 'sessions')).toBe(2)
    expect(shortfall(matrix.rows[1]!.cells[1]!, 'sessions')).toBe(0)
  })
  it('labels weeks by their Monday and months by name, with the year where the period crosses one', () => {
    expect(periodLabel('2023-03-06', 'week', 'zh-CN')).toBe('3月6日')
    expect(periodLabel('2023-03-06', 'week', 'zh-CN', true)).toBe('2023年3月6日')
    expect(periodLabel('2023-03-06', 'week', 'en')).toBe('6 Mar')
    expect(periodLabel('2023-03', 'month', 'zh-CN')).toBe('2023年3月')
    expect(periodLabel('2023-03', 'month', 'en')).toBe('Mar 2023')
    expect(crossesYear(['2022-12-26', '2023-01-02'])).toBe(true)
    expect(crossesYear(['2023-01-02', '2023-01-09'])).toBe(false)
  })
})
