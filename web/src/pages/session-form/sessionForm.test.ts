import { describe, expect, it } from 'vitest'
import { ApiError, type Session } from '@/api'
import {
  batchInput,
  correctionInput,
  emptyBranch,
  emptyRow,
  hostDefaults,
  nextRow,
  placeErrors,
  rowAudience,
  rowFromSession,
  type VenueRow,
} from './sessionForm'

const shared = { campaign_id: 3, date: '2026-12-03', lecturer_ids: [7, 9] }

function row(extra: Partial<VenueRow> = {}): VenueRow {
  return {
    ...emptyRow(),
    title: ' 工匠精神进班组 ',
    venue: '一号车间',
    host_organisation_id: 12,
    region_code: '150203',
    industry: 'C',
    audience_group: 'frontline_workers',
    audience_offline: 40,
    online_viewers: 5,
    ...extra,
  }
}

describe('batchInput', () => {
  it('sends one session per venue with the shared day, campaign and lecturers', () => {
    const hybrid = row({ format: 'hybrid', branches: [{ ...emptyBranch(), host_organisation_id: 13, venue: ' 分会场 ', region_code: '150204', audience_group: 'herders', headcount: 25 }] })
    const body = batchInput(shared, [row(), hybrid])
    expect(body.sessions).toHaveLength(2)
    const [first, second] = body.sessions
    expect(first).toMatchObject({ title: '工匠精神进班组', date: '2026-12-03', campaign_id: 3, lecturer_ids: [7, 9], source: 'unordered', start_time: null })
    // Offline: no online viewers, no branch venues, whatever the row still holds.
    expect(first?.online_viewers).toBe(0)
    expect(first?.branches).toEqual([])
    expect(second?.online_viewers).toBe(5)
    expect(second?.branches).toEqual([{ host_organisation_id: 13, venue: '分会场', region_code: '150204', audience_group: 'herders', headcount: 25 }])
  })

  it('drops branch venues typed before the format changed away from hybrid', () => {
    const body = batchInput(shared, [row({ format: 'online', branches: [emptyBranch()] })])
    expect(body.sessions[0]?.branches).toEqual([])
    expect(body.sessions[0]?.audience_offline).toBe(0)
  })
})

describe('correctionInput', () => {
  it('names the version read and leaves the source and order alone', () => {
    const body = correctionInput(shared, row(), 4)
    expect(body.version).toBe(4)
    expect('source' in body).toBe(false)
    expect('order_id' in body).toBe(false)
  })

  it('round-trips a recorded session through the form', () => {
    const s = {
      id: 5, campaign_id: null, title: '宣讲', date: '2026-11-30', start_time: '09:30', end_time: null, venue: '礼堂',
      host_organisation_id: 12, host_organisation_name: '包钢工会', region_code: '150203', region_name: '昆都仑区',
      industry: 'C', format: 'hybrid', audience_group: 'frontline_workers', audience_offline: 80, online_viewers: 3,
      summary: '', source: 'ordered', order_id: 9, lecturer_ids: [7], lecturers: [{ id: 7, name: '王建国' }],
      branches: [{ id: 1, host_organisation_id: 13, venue: '分会场', region_code: '150204', audience_group: 'herders', headcount: 20 }],
      total_audience: 103, version: 2,
    } as unknown as Session
    const { shared: sh, row: r } = rowFromSession(s)
    const body = correctionInput(sh, r, s.version)
    expect(body).toMatchObject({ campaign_id: null, start_time: '09:30', end_time: null, audience_offline: 80, version: 2 })
    expect(body.branches).toEqual([{ host_organisation_id: 13, venue: '分会场', region_code: '150204', audience_group: 'herders', headcount: 20 }])
    expect(rowAudience(r)).toBe(103)
  })
})

describe('nextRow and hostDefaults', () => {
  it('a new venue keeps the topic, host and audience, not the place, times or figures', () => {
    const next = nextRow(row({ start_time: '09:00', audience_offline: 60 }))
    expect(next).toMatchObject({ title: ' 工匠精神进班组 ', host_organisation_id: 12, industry: 'C', venue: '', start_time: '', audience_offline: 0 })
    expect(nextRow(undefined).title).toBe('')
  })

  it('takes region and industry from the host unless the user chose others', () => {
    const baogang = { region_code: '150203', industry: 'C' }
    const school = { region_code: '150102', industry: 'P' }
    expect(hostDefaults({ region_code: '', industry: '' }, baogang, undefined)).toEqual(baogang)
    // Still the previous host's: follows the new host.
    expect(hostDefaults(baogang, school, baogang)).toEqual(school)
    // Chosen by hand: kept.
    expect(hostDefaults({ region_code: '150204', industry: 'B' }, school, baogang)).toEqual({ region_code: '150204', industry: 'B' })
    expect(hostDefaults({ region_code: '150204', industry: '' }, undefined, undefined)).toEqual({ region_code: '150204', industry: '' })
  })
})

describe('placeErrors', () => {
  const refusal = (errors: { field: string; message: string }[]): ApiError =>
    new ApiError(422, 'invalid', errors[0]?.message ?? '', errors[0]?.field ?? '', errors.map((e) => ({ code: 'invalid', ...e })))

  it('puts a tour day\'s errors on their row, branch venue and field', () => {
    const placed = placeErrors(
      refusal([
        { field: 'sessions[1].venue', message: '地点不能为空' },
        { field: 'sessions[1].branches[0].headcount', message: '人数不能为负' },
        { field: 'sessions[0].date', message: '日期不在活动期间' },
        { field: 'sessions[1].date', message: '日期不在活动期间' },
        { field: 'sessions[0].lecturer_ids', message: '宣讲员不存在' },
      ]),
      2,
    )
    expect(placed.rows[0]).toEqual({})
    expect(placed.rows[1]).toEqual({ venue: '地点不能为空' })
    expect(placed.branches[1]).toEqual([{ headcount: '人数不能为负' }])
    expect(placed.shared).toEqual({ date: '日期不在活动期间', lecturer_ids: '宣讲员不存在' })
    expect(placed.general).toBe('')
  })

  it('puts a single session\'s unprefixed errors on the first row', () => {
    const placed = placeErrors(refusal([{ field: 'audience_offline', message: '不能为负' }, { field: 'branches', message: '混合宣讲需要分会场' }]), 1)
    expect(placed.rows[0]).toEqual({ audience_offline: '不能为负', branches: '混合宣讲需要分会场' })
  })

  it('says what belongs to no field above the form, once', () => {
    const placed = placeErrors(refusal([{ field: 'sessions', message: '一次可记录 1–20 场宣讲' }, { field: 'sessions[5].venue', message: 'x' }, { field: 'sessions', message: '一次可记录 1–20 场宣讲' }]), 2)
    expect(placed.general).toBe('一次可记录 1–20 场宣讲；x')
    const network = placeErrors(new Error('boom'), 1)
    expect(network.general).toContain('boom')
  })
})
