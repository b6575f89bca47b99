// 覆盖情况: the arithmetic and wording of the coverage matrix, kept apart from the components so
// that it is tested without a browser: heat levels, column labels, the gap list a phone shows,
// and the matrix as CSV.
import type { CoverageCell, CoverageGrain, CoverageMatrix, CoverageMark } from '@/api'

export type Measure = 'sessions' | 'audience'

/** How many shades the heat map has beside "nothing" (level 0). */
export const HEAT_LEVELS = 5

/**
 * A cell's shade: 0 for nothing, else 1…HEAT_LEVELS by its share of the largest cell, so that
 * the busiest cell is the darkest and every cell with something shows at least the palest.
 */
export function heatLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0
  return Math.min(HEAT_LEVELS, Math.max(1, Math.ceil((value / max) * HEAT_LEVELS)))
}

/** The largest value of the matrix's cells (totals aside). */
export function largest(matrix: CoverageMatrix, measure: Measure): number {
  let max = 0
  for (const row of matrix.rows) for (const cell of row.cells) max = Math.max(max, cell[measure])
  return max
}

/** A gap is what the page outlines and lists: nothing given, or behind its share of a target. */
export function isGap(mark: CoverageMark): boolean {
  return mark === 'empty' || mark === 'behind'
}

/** A period column's label: "3月2日" / "2 Mar" for a week (its Monday), "2026年3月" / "Mar 2026". */
export function periodLabel(key: string, grain: CoverageGrain, locale: string, withYear = false): string {
  const [y, m, d] = key.split('-').map(Number)
  if (grain === 'month') {
    return locale === 'en'
      ? new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(y!, m! - 1, 1))
      : `${y}年${m}月`
  }
  if (locale === 'en') {
    const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', timeZone: 'UTC' }
    if (withYear) opts.year = 'numeric'
    return new Intl.DateTimeFormat('en-GB', opts).format(Date.UTC(y!, m! - 1, d!))
  }
  return withYear ? `${y}年${m}月${d}日` : `${m}月${d}日`
}

/** Whether the period's columns cross a year, so that week labels must carry it. */
export function crossesYear(keys: string[]): boolean {
  return new Set(keys.map((k) => k.slice(0, 4))).size > 1
}

export interface Gap {
  row: number
  column: number
  mark: CoverageMark
  cell: CoverageCell
}

/** Every gap of the matrix, row by row: what a phone lists instead of the grid. */
export function gaps(matrix: CoverageMatrix): Gap[] {
  const out: Gap[] = []
  matrix.rows.forEach((row, r) =>
    row.cells.forEach((cell, c) => {
      if (isGap(cell.mark)) out.push({ row: r, column: c, mark: cell.mark, cell })
    }),
  )
  return out
}

/** The share still missing from a cell: "差 2 场" is expected − done, never below zero. */
export function shortfall(cell: CoverageCell, measure: Measure): number {
  const expected = measure === 'sessions' ? cell.expected_sessions : cell.expected_audience
  return Math.max(0, expected - cell[measure])
}
