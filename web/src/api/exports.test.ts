import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, downloadName } from './client'

function clientWith(answer: () => Response, language = 'zh-CN') {
  const urls: string[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    urls.push(String(input))
    return answer()
  })
  return { client: new ApiClient({ fetch, language: () => language }), urls }
}

describe('downloadName', () => {
  it('reads the Chinese name of filename* before the plain one', () => {
    expect(
      downloadName(`attachment; filename="sessions_20261203.xlsx"; filename*=UTF-8''%E5%AE%A3%E8%AE%B2_20261203.xlsx`, 'x'),
    ).toBe('宣讲_20261203.xlsx')
    expect(downloadName('attachment; filename="orders_20261203.csv"', 'x')).toBe('orders_20261203.csv')
    expect(downloadName(`attachment; filename*=UTF-8''%E5%AE`, 'fallback.csv')).toBe('fallback.csv')
    expect(downloadName(null, 'fallback.csv')).toBe('fallback.csv')
  })
})

describe('exportFile', () => {
  it("sends the list's filters, the file's format and the UI's language", async () => {
    const file = new Response('\uFEFF日期\r\n', {
      status: 200,
      headers: { 'Content-Disposition': `attachment; filename="sessions_1.csv"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.csv` },
    })
    const { client, urls } = clientWith(() => file, 'en')
    const got = await client.exportFile({ kind: 'sessions', query: { campaign_id: 1, format: 'online', q: '' } }, 'csv')
    expect(urls[0]).toBe('/api/v1/exports/sessions?campaign_id=1&session_format=online&format=csv&lang=en')
    expect(got.filename).toBe('台账.csv')
    expect(await got.blob.text()).toContain('日期')
  })

  it('sends a period and a campaign set for the statistics of a period', async () => {
    const { client, urls } = clientWith(() => new Response('x', { status: 200 }))
    await client.exportFile(
      { kind: 'statistics', query: { from: '2022-10-01', to: '2022-12-31', campaign_ids: '1,3', organisation_id: undefined } },
      'xlsx',
    )
    expect(urls[0]).toBe('/api/v1/exports/statistics?from=2022-10-01&to=2022-12-31&campaign_ids=1%2C3&format=xlsx&lang=zh')
  })

  it("rejects with the server's message", async () => {
    const refusal = new Response(JSON.stringify({ error: { code: 'bad_request', message: '导出格式须为 xlsx（Excel）或 csv', field: 'format' } }), {
      status: 400,
    })
    const { client } = clientWith(() => refusal)
    const error = await client.exportFile({ kind: 'statistics', query: { campaign_id: 1 } }, 'xlsx').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).field).toBe('format')
  })
})
