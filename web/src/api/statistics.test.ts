import { describe, expect, it, vi } from 'vitest'
import { ApiClient } from './client'

function recording(body: unknown) {
  const urls: string[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    urls.push(String(input))
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
  return { client: new ApiClient({ fetch }), urls }
}

describe('statistics and agenda calls', () => {
  it('asks for a campaign’s statistics, narrowed to an organisation only when one is given', async () => {
    const { client, urls } = recording({ campaign_id: 1 })
    await client.campaignStatistics(1)
    await client.campaignStatistics(1, { organisation_id: 4 })
    expect(urls).toEqual(['/api/v1/campaigns/1/statistics', '/api/v1/campaigns/1/statistics?organisation_id=4'])
  })
  it('asks for a period’s statistics with the campaigns as one comma-separated list, or none for all', async () => {
    const { client, urls } = recording({ from: '2022-12-01' })
    await client.periodStatistics({ from: '2022-12-01', to: '2023-01-15', campaign_ids: [3, 1] })
    await client.periodStatistics({ from: '2022-12-01', campaign_ids: [], organisation_id: 4 })
    expect(urls).toEqual([
      '/api/v1/statistics?from=2022-12-01&to=2023-01-15&campaign_ids=3%2C1',
      '/api/v1/statistics?from=2022-12-01&organisation_id=4',
    ])
  })
  it('asks for coverage and what could fill a gap with the campaigns as one list', async () => {
    const { client, urls } = recording({ from: '2023-03-01' })
    await client.coverage({ campaign_ids: [7], grain: 'month', level: 'county', organisation_id: 4 })
    await client.coverage({ campaign_ids: [] })
    await client.coverageFill({ region_code: '150200', audience_group: 'miners', from: '2023-03-06', to: '2023-03-12', campaign_ids: [7, 8] })
    expect(urls).toEqual([
      '/api/v1/statistics/coverage?grain=month&level=county&organisation_id=4&campaign_ids=7',
      '/api/v1/statistics/coverage',
      '/api/v1/statistics/coverage/fill?region_code=150200&audience_group=miners&from=2023-03-06&to=2023-03-12&campaign_ids=7%2C8',
    ])
  })
  it('asks for a lecturer’s agenda over the days given', async () => {
    const { client, urls } = recording({ items: [], total: 0 })
    const page = await client.agenda(7, { from: '2022-11-25', to: '2023-01-11' })
    expect(page.total).toBe(0)
    expect(urls).toEqual(['/api/v1/lecturers/7/agenda?from=2022-11-25&to=2023-01-11'])
  })
})
