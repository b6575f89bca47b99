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
  it('asks for a lecturer’s agenda over the days given', async () => {
    const { client, urls } = recording({ items: [], total: 0 })
    const page = await client.agenda(7, { from: '2022-11-25', to: '2023-01-11' })
    expect(page.total).toBe(0)
    expect(urls).toEqual(['/api/v1/lecturers/7/agenda?from=2022-11-25&to=2023-01-11'])
  })
})
