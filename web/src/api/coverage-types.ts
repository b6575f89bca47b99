// 覆盖情况: the shapes of GET /statistics/coverage and /statistics/coverage/fill
// (docs/openapi.yaml: Coverage, CoverageFill).
import type { Order, PeriodStatisticsQuery } from './types'

export type CoverageMark = 'empty' | 'behind' | 'ok' | 'future'
export type CoverageGrain = 'week' | 'month'
export type CoverageLevel = 'league' | 'county'

export interface CoverageCell {
  sessions: number
  audience: number
  expected_sessions: number
  expected_audience: number
  targeted: boolean
  mark: CoverageMark
}

export interface CoverageColumn {
  /** a week's Monday, a month "YYYY-MM", or an audience group's code */
  key: string
  name: string
  name_en: string
  first: string | null
  last: string | null
  total: CoverageCell
}

export interface CoverageRow {
  code: string
  name: string
  parent: string
  level: 'province' | 'city' | 'county'
  cells: CoverageCell[]
  total: CoverageCell
}

export interface CoverageMatrix {
  columns: CoverageColumn[]
  rows: CoverageRow[]
  total: CoverageCell
}

export interface CoverageTarget {
  campaign_id: number
  campaign_title: string
  region_code: string
  region_name: string
  audience_group: string
  sessions: number
  audience: number
  expected_sessions: number
  expected_audience: number
}

export interface Coverage {
  from: string
  to: string
  today: string
  campaign_ids: number[]
  organisation_id: number | null
  grain: CoverageGrain
  level: CoverageLevel
  by_period: CoverageMatrix
  by_group: CoverageMatrix
  targets: CoverageTarget[]
  elsewhere: { sessions: number; audience: number }
}

export interface CoverageQuery extends PeriodStatisticsQuery {
  grain?: CoverageGrain
  level?: CoverageLevel
}

export interface CoverageFillLecturer {
  id: number
  name: string
  category: string
  region_code: string
  region_name: string
  distance_km: number | null
  free_days: number
  lectures: number
}

export interface CoverageFill {
  region_code: string
  region_name: string
  audience_group: string
  from: string
  to: string
  orders: Order[]
  lecturers: CoverageFillLecturer[]
  available: number
}

export interface CoverageFillQuery {
  region_code: string
  audience_group?: string
  from?: string
  to?: string
  campaign_ids?: number[]
  limit?: number
}
