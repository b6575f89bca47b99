// The client's calls for a session's photos, feedback and links, a lecturer's portrait, and the
// public feedback form.
import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, type UploadRequest } from './client'

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const photo = {
  id: 7,
  session_id: 3,
  branch_id: null,
  content_type: 'image/png',
  bytes: 68,
  url: '/api/v1/photos/7',
  created_at: '2026-12-03T01:00:00Z',
}

describe('uploadPhoto', () => {
  it('posts the raw picture with its type, the CSRF token and the branch, and reports progress', async () => {
    const seen: { url: string; request: UploadRequest }[] = []
    const upload = vi.fn(async (url: string, request: UploadRequest) => {
      seen.push({ url, request })
      request.onProgress?.(0.5)
      request.onProgress?.(1)
      return { status: 201, statusText: 'Created', text: JSON.stringify(photo) }
    })
    const client = new ApiClient({ upload, fetch: vi.fn(), language: () => 'en' })
    client.setCsrfToken('tok')
    const progress: number[] = []
    const body = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' })
    const saved = await client.uploadPhoto(3, body, { branchId: 12, onProgress: (f) => progress.push(f) })
    expect(saved).toEqual(photo)
    expect(seen[0]?.url).toBe('/api/v1/sessions/3/photos?branch_id=12')
    expect(seen[0]?.request.body).toBe(body)
    expect(seen[0]?.request.headers).toMatchObject({ 'Content-Type': 'image/png', 'X-CSRF-Token': 'tok', 'Accept-Language': 'en' })
    expect(progress).toEqual([0.5, 1])
  })

  it('leaves the branch out for the main venue', async () => {
    const upload = vi.fn(async (_url: string, _request: UploadRequest) => ({ status: 201, statusText: '', text: JSON.stringify(photo) }))
    await new ApiClient({ upload, fetch: vi.fn() }).uploadPhoto(3, new Blob(['x']), { branchId: null })
    expect(upload.mock.calls[0]?.[0]).toBe('/api/v1/sessions/3/photos')
  })

  it('turns the server\'s refusal into an ApiError with its message', async () => {
    const upload = vi.fn(async () => ({
      status: 413,
      statusText: 'Payload Too Large',
      text: JSON.stringify({ error: { code: 'payload_too_large', message: '照片不能超过 10 MB', field: 'photo' } }),
    }))
    const error = await new ApiClient({ upload, fetch: vi.fn() }).uploadPhoto(3, new Blob(['x'])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large', message: '照片不能超过 10 MB' })
  })

  it('tells a dropped connection from a cancelled upload, and reports an expired session', async () => {
    const expired = vi.fn()
    const dropped = new ApiClient({ upload: vi.fn(async () => Promise.reject(new Error('x'))), fetch: vi.fn() })
    await expect(dropped.uploadPhoto(1, new Blob(['x']))).rejects.toMatchObject({ status: 0, code: 'network' })
    const cancelled = new ApiClient({
      upload: vi.fn(async () => Promise.reject(new DOMException('aborted', 'AbortError'))),
      fetch: vi.fn(),
    })
    await expect(cancelled.uploadPhoto(1, new Blob(['x']))).rejects.toMatchObject({ status: 0, code: 'aborted' })
    const gone = new ApiClient({
      upload: vi.fn(async () => ({ status: 401, statusText: '', text: JSON.stringify({ error: { code: 'unauthenticated', message: 'x' } }) })),
      fetch: vi.fn(),
      onUnauthenticated: expired,
    })
    await expect(gone.uploadPhoto(1, new Blob(['x']))).rejects.toMatchObject({ status: 401 })
    expect(expired).toHaveBeenCalledOnce()
  })
})

describe("a lecturer's portrait", () => {
  const lecturer = { id: 1, name: '王丽华', photo_url: '/api/v1/lecturers/1/photo?v=3f2a9c1b' }

  it('puts the raw picture with its type and the CSRF token, and answers the lecturer', async () => {
    const upload = vi.fn(async (_url: string, _request: UploadRequest) => ({ status: 200, statusText: 'OK', text: JSON.stringify(lecturer) }))
    const client = new ApiClient({ upload, fetch: vi.fn(), language: () => 'en' })
    client.setCsrfToken('tok')
    const body = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' })
    const progress: number[] = []
    const saved = await client.setLecturerPhoto(1, body, { onProgress: (f) => progress.push(f) })
    expect(saved).toEqual(lecturer)
    const [url, request] = upload.mock.calls[0] ?? []
    expect(url).toBe('/api/v1/lecturers/1/photo')
    expect(request?.method).toBe('PUT')
    expect(request?.body).toBe(body)
    expect(request?.headers).toMatchObject({ 'Content-Type': 'image/jpeg', 'X-CSRF-Token': 'tok', 'Accept-Language': 'en' })
    request?.onProgress?.(0.5)
    expect(progress).toEqual([0.5])
  })

  it("turns a refusal into an ApiError with the server's field messages", async () => {
    const upload = vi.fn(async () => ({
      status: 422,
      statusText: '',
      text: JSON.stringify({
        error: { code: 'invalid', message: 'some fields are invalid', field: 'photo' },
        errors: [{ code: 'invalid', message: 'only a whole JPEG or PNG picture can be uploaded', field: 'photo' }],
      }),
    }))
    const error = await new ApiClient({ upload, fetch: vi.fn() }).setLecturerPhoto(1, new Blob(['x'])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 422, errors: [{ message: 'only a whole JPEG or PNG picture can be uploaded' }] })
  })

  it('removes it with a DELETE that answers nothing', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(null, { status: 204 }))
    const client = new ApiClient({ fetch })
    client.setCsrfToken('tok')
    await expect(client.removeLecturerPhoto(1)).resolves.toBeUndefined()
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/lecturers/1/photo')
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: 'DELETE', headers: { 'X-CSRF-Token': 'tok' } })
  })
})

describe('session feedback and links', () => {
  it('asks for the QR code as an image and answers a Blob', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response('<svg/>', { status: 200, headers: { 'Content-Type': 'image/svg+xml' } }))
    const blob = await new ApiClient({ fetch }).feedbackQr(5, 'svg')
    expect(await blob.text()).toBe('<svg/>')
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/sessions/5/feedback-link/qr?format=svg')
  })

  it('reports a refused QR code as an ApiError', async () => {
    const fetch = vi.fn(async () => json(403, { error: { code: 'forbidden', message: '没有权限' } }))
    await expect(new ApiClient({ fetch }).feedbackQr(5)).rejects.toMatchObject({ status: 403, message: '没有权限' })
  })

  it('sends renew, quote and staff answers as the API wants them', async () => {
    const bodies: unknown[] = []
    const urls: string[] = []
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(`${init?.method} ${String(input)}`)
      bodies.push(init?.body ? JSON.parse(String(init.body)) : undefined)
      return json(200, {})
    })
    const client = new ApiClient({ fetch })
    await client.feedbackLink(5, true)
    await client.markQuote(5, 9, true)
    await client.recordFeedback(5, { rating: 4, comment: '好', audience_group: 'miners' })
    await client.calendarLink(1)
    await client.agenda(1, { from: '2023-01-01', to: '2023-01-31' })
    expect(urls).toEqual([
      'POST /api/v1/sessions/5/feedback-link',
      'PATCH /api/v1/sessions/5/feedback/9',
      'POST /api/v1/sessions/5/feedback',
      'POST /api/v1/lecturers/1/calendar-link',
      'GET /api/v1/lecturers/1/agenda?from=2023-01-01&to=2023-01-31',
    ])
    expect(bodies.slice(0, 4)).toEqual([{ renew: true }, { quote: true }, { rating: 4, comment: '好', audience_group: 'miners' }, { renew: false }])
  })
})

describe('the public feedback form', () => {
  it('never reports a 401 as an expired session', async () => {
    const expired = vi.fn()
    const fetch = vi.fn(async () => json(401, { error: { code: 'unauthenticated', message: 'x' } }))
    const client = new ApiClient({ fetch, onUnauthenticated: expired })
    await expect(client.publicFeedback('t')).rejects.toMatchObject({ status: 401 })
    await expect(client.answerFeedback('t', { rating: 5 })).rejects.toMatchObject({ status: 401 })
    await expect(client.signInFeedback('t')).rejects.toMatchObject({ status: 401 })
    expect(expired).not.toHaveBeenCalled()
  })

  it('keeps the token in the path, escaped', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => new Response(null, { status: 204 }))
    await new ApiClient({ fetch }).signInFeedback('a/b')
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/feedback/a%2Fb/sign-in')
  })
})
