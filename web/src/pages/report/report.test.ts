import { describe, expect, it } from 'vitest'
import type { ComparedFigure, PeriodStatistics } from '@/api'
import { leagueOf, placesOf, selectionFromQuery, statisticsQuery, withFigures } from './report'

function figure(code: string, sessions: number, audience: number, extra: Partial<ComparedFigure> = {}): ComparedFigure {
  return { code, name: code, sessions, audience, previous_sessions: 0, previous_audience: 0, ...extra }
}

describe('selectionFromQuery', () => {
  it('reads one campaign, or a period with campaigns and an organisation', () => {
    expect(selectionFromQuery({ campaign_id: '3' })).toEqual({ campaignId: 3, campaignIds: [], from: null, to: null, organisationId: null })
    expect(selectionFromQuery({ campaign_ids: '1,2', from: '2022-10-01', to: '2022-12-31', organisation_id: '7' })).toEqual({
      campaignId: null,
      campaignIds: [1, 2],
      from: '2022-10-01',
      to: '2022-12-31',
      organisationId: 7,
    })
  })
  it('ignores what is malformed rather than asking the server for it', () => {
    expect(selectionFromQuery({ campaign_id: '0', campaign_ids: '1,x,-2', from: '2022-1-1', organisation_id: ['5', '6'] })).toEqual({
      campaignId: null,
      campaignIds: [1],
      from: null,
      to: null,
      organisationId: 5,
    })
  })
})

describe('statisticsQuery', () => {
  it('asks for one campaign over its own period, else the period named', () => {
    expect(statisticsQuery({ campaignId: 3, campaignIds: [], from: null, to: null, organisationId: 9 })).toEqual({ campaign_ids: [3], organisation_id: 9 })
    expect(statisticsQuery({ campaignId: null, campaignIds: [], from: '2022-01-01', to: '2022-03-31', organisationId: null })).toEqual({
      from: '2022-01-01',
      to: '2022-03-31',
    })
  })
})

describe('leagueOf', () => {
  it('gives the league of a scope below the province, none for the province', () => {
    expect(leagueOf('150203', 'grassroots')).toBe('150200')
    expect(leagueOf('150200', 'league')).toBe('150200')
    expect(leagueOf('150000', 'province')).toBe('')
    expect(leagueOf('150200', 'province')).toBe('')
    expect(leagueOf(undefined, undefined)).toBe('')
  })
})

describe('placesOf', () => {
  const p = {
    leagues: [figure('150100', 3, 30), figure('150200', 5, 10), figure('152900', 0, 0)],
    counties: [figure('150203', 2, 5, { parent: '150200' }), figure('150204', 4, 1, { parent: '150200' }), figure('150302', 9, 9, { parent: '150300' })],
  } as unknown as PeriodStatistics
  it('compares the leagues province-wide, busiest first, idle ones last', () => {
    expect(placesOf(p, '').map((x) => x.code)).toEqual(['150200', '150100', '152900'])
  })
  it("compares a league's own counties only, never a neighbour's", () => {
    expect(placesOf(p, '150200').map((x) => x.code)).toEqual(['150204', '150203'])
  })
})

describe('withFigures', () => {
  it('keeps rows with figures now or a year before, busiest first', () => {
    const rows = [figure('a', 0, 0), figure('b', 1, 2), figure('c', 0, 0, { previous_sessions: 1 }), figure('d', 3, 1)]
    expect(withFigures(rows).map((x) => x.code)).toEqual(['d', 'b', 'c'])
  })
})
