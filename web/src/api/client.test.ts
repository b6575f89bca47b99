import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, queryString, type Me, type Page, type Region } from './client'

interface Call {
  url: string
  init: RequestInit
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** A client whose fetch answers from `answer` and records every call. */
function clientWith(answer: (call: Call) => Response | Promise<Response>, options = {}) {
  const calls: Call[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} }
    calls.push(call)
    return answer(call)
  })
  return { client: new ApiClient({ fetch, ...options }), calls }
}

function header(call: Call | undefined, name: string): string | undefined {
  return (call?.init.headers as Record<string, string> | undefined)?.[name]
}

const me: Me = {
  id: 1,
  username: 'admin',
  display_name: '系统管理员',
  role: 'admin',
  organisation: { id: 1, name: '内蒙古自治区总工会' },
  lecturer_id: null,
  permissions: ['lecturers.read', 'sessions.read'],
  csrf_token: 'csrf-from-me',
}

describe('queryString', () => {
  it('leaves out empty, null and undefined values', () => {
    expect(queryString({ q: '', category: undefined, region_code: null, page: 2 })).toBe('?page=2')
  })
  it('encodes Chinese and booleans', () => {
    expect(queryString({ q: '包头', active: false })).toBe('?q=%E5%8C%85%E5%A4%B4&active=false')
  })
  it('is empty for no values', () => {
    expect(queryString({})).toBe('')
    expect(queryString(undefined)).toBe('')
  })
})

describe('ApiClient requests', () => {
  it('sends GETs same-origin with the language and without a CSRF header', async () => {
    const { client, calls } = clientWith(() => json(200, { items: [], total: 0 }), { language: () => 'en' })
    await client.lecturers({ q: '王', category: '', page: 1, page_size: 20 })
    expect(calls[0]?.url).toBe('/api/v1/lecturers?q=%E7%8E%8B&page=1&page_size=20')
    expect(calls[0]?.init.method).toBe('GET')
    expect(calls[0]?.init.credentials).toBe('same-origin')
    expect(header(calls[0], 'Accept-Language')).toBe('en')
    expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined()
  })

  it('keeps the CSRF token from login and sends it on writes', async () => {
    const { client, calls } = clientWith((call) =>
      call.url.endsWith('/auth/login') ? json(200, { account: me, csrf_token: 'tok-1' }) : json(200, { id: 5 }),
    )
    await client.login('admin', 'secret')
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ username: 'admin', password: 'secret' })
    expect(header(calls[0], 'Content-Type')).toBe('application/json')
    await client.updateLecturer(5, { active: false })
    expect(calls[1]?.init.method).toBe('PATCH')
    expect(calls[1]?.url).toBe('/api/v1/lecturers/5')
    expect(header(calls[1], 'X-CSRF-Token')).toBe('tok-1')
  })

  it('takes the CSRF token from /auth/me after a reload', async () => {
    const { client, calls } = clientWith((call) =>
      call.url.endsWith('/auth/me') ? json(200, me) : new Response(null, { status: 204 }),
    )
    expect(await client.me()).toEqual(me)
    await client.logout()
    expect(header(calls[1], 'X-CSRF-Token')).toBe('csrf-from-me')
    // Logged out: no token is left to send.
    await client.logout()
    expect(header(calls[2], 'X-CSRF-Token')).toBeUndefined()
  })

  it('answers undefined for 204 No Content', async () => {
    const { client } = clientWith(() => new Response(null, { status: 204 }))
    await expect(client.logout()).resolves.toBeUndefined()
  })

  it('reads every page of a list', async () => {
    const all: Region[] = Array.from({ length: 450 }, (_, i) => ({
      code: String(110000 + i),
      name: `R${i}`,
      parent: null,
      level: 'province',
      kind: 'division',
      lat: null,
      lon: null,
    }))
    const { client, calls } = clientWith((call) => {
      const url = new URL(call.url, 'http://x')
      const page = Number(url.searchParams.get('page'))
      const size = Number(url.searchParams.get('page_size'))
      const body: Page<Region> = { items: all.slice((page - 1) * size, page * size), total: all.length }
      return json(200, body)
    })
    const regions = await client.listAll((q) => client.regions(q), { level: 'province' as const })
    expect(regions).toHaveLength(450)
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/regions?level=province&page=1&page_size=200',
      '/api/v1/regions?level=province&page=2&page_size=200',
      '/api/v1/regions?level=province&page=3&page_size=200',
    ])
  })

  it('sends the administration filters', async () => {
    const { client, calls } = clientWith(() => json(200, { items: [], total: 0 }))
    await client.accounts({ q: 'bao', role: 'organiser', page: 2, page_size: 10 })
    await client.dictionary('topic', { include_inactive: true })
    await client.audit({ entity: 'account', action: 'update', username: '', page: 1 })
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/accounts?q=bao&role=organiser&page=2&page_size=10',
      '/api/v1/dictionaries?include_inactive=true&kind=topic',
      '/api/v1/audit?entity=account&action=update&page=1',
    ])
  })

  it('patches an account without a password field', async () => {
    const { client, calls } = clientWith(() => json(200, { id: 7 }))
    await client.updateAccount(7, { role: 'viewer', active: false })
    expect(calls[0]?.url).toBe('/api/v1/accounts/7')
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ role: 'viewer', active: false })
  })

  it('stops paging on an empty page even if the total says more', async () => {
    const { client, calls } = clientWith(() => json(200, { items: [], total: 5 }))
    expect(await client.allOrganisations()).toEqual([])
    expect(calls).toHaveLength(1)
  })
})

describe('ApiClient errors', () => {
  it('parses a validation error with every field error', async () => {
    const { client } = clientWith(() =>
      json(422, {
        error: { code: 'invalid', message: '输入有误', field: 'name' },
        errors: [
          { code: 'required', message: '请填写姓名', field: 'name' },
          { code: 'too_long', message: '工作单位过长', field: 'employer' },
          { code: 'required', message: '再次：姓名', field: 'name' },
        ],
      }),
    )
    const error = await client.createOrganisation({
      name: '',
      parent_id: 1,
      level: 'grassroots',
      region_code: '150200',
      industry: '',
      address: '',
      lat: null,
      lon: null,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const e = error as ApiError
    expect(e.status).toBe(422)
    expect(e.code).toBe('invalid')
    expect(e.message).toBe('输入有误')
    expect(e.field).toBe('name')
    expect(e.errors).toHaveLength(3)
    expect(e.fieldErrors()).toEqual({ name: '请填写姓名', employer: '工作单位过长' })
  })

  it('uses the single error as the field error when there is no list', async () => {
    const { client } = clientWith(() =>
      json(409, { error: { code: 'conflict', message: '用户名已存在', field: 'username' } }),
    )
    const e = (await client.createAccount({
      username: 'a',
      display_name: 'A',
      role: 'viewer',
      organisation_id: 1,
      password: 'x',
    }).catch((x: unknown) => x)) as ApiError
    expect(e.code).toBe('conflict')
    expect(e.fieldErrors()).toEqual({ username: '用户名已存在' })
  })

  it('makes a typed error of a body that is not the API error format', async () => {
    const { client } = clientWith(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    const e = (await client.health().catch((x: unknown) => x)) as ApiError
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(502)
    expect(e.code).toBe('http_502')
    expect(e.message).toBe('Bad Gateway')
    expect(e.errors).toEqual([])
  })

  it('reports a network failure as status 0', async () => {
    const { client } = clientWith(() => {
      throw new TypeError('Failed to fetch')
    })
    const e = (await client.sessions().catch((x: unknown) => x)) as ApiError
    expect(e.status).toBe(0)
    expect(e.code).toBe('network')
  })

  it('reports an expired session, but not a failed login or the start-up check', async () => {
    const expired = vi.fn()
    const unauthenticated = json(401, { error: { code: 'unauthenticated', message: '请先登录' } })
    const { client } = clientWith(() => unauthenticated.clone(), { onUnauthenticated: expired })
    await expect(client.login('admin', 'wrong')).rejects.toMatchObject({ status: 401 })
    await expect(client.me()).rejects.toMatchObject({ status: 401 })
    expect(expired).not.toHaveBeenCalled()
    await expect(client.sessions()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' })
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('parses 429 too_many_requests', async () => {
    const { client } = clientWith(() =>
      json(429, { error: { code: 'too_many_requests', message: '尝试次数过多', field: '' } }),
    )
    await expect(client.login('admin', 'x')).rejects.toMatchObject({ status: 429, code: 'too_many_requests' })
  })
})

describe('orders and the inbox', () => {
  it('sends the version read with a transition and keeps the current state of a 409', async () => {
    const { client, calls } = clientWith(() =>
      json(409, {
        error: { code: 'conflict', message: '需求已被他人修改', field: 'version' },
        current: { state: 'accepted', version: 4 },
      }),
    )
    const refused = await client.declineOrder(12, 3, '另有安排').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ status: 409, field: 'version', current: { state: 'accepted', version: 4 } })
    expect((refused as ApiError).isConflict).toBe(true)
    expect(calls[0]?.url).toBe('/api/v1/orders/12/decline')
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ version: 3, reason: '另有安排' })
  })

  it('sends override_travel only when asked and lists several states at once', async () => {
    const { client, calls } = clientWith(() => json(200, { items: [], total: 0 }))
    await client.orders({ lecturer_id: 5, state: 'dispatched,accepted' })
    expect(calls[0]?.url).toBe('/api/v1/orders?lecturer_id=5&state=dispatched%2Caccepted')
    await client.dispatchOrder(9, { version: 2, lecturer_id: 5, date: '2026-05-04', override_travel: true })
    expect(JSON.parse(String(calls[1]?.init.body))).toMatchObject({ override_travel: true, lecturer_id: 5 })
  })

  it('marks all notifications read with an empty body, and some by id', async () => {
    const { client, calls } = clientWith(() => json(200, { marked: 1, unread: 0 }))
    await client.markRead()
    await client.markRead([4, 5])
    expect(calls.map((c) => [c.init.method, c.url, c.init.body])).toEqual([
      ['POST', '/api/v1/inbox/read', '{}'],
      ['POST', '/api/v1/inbox/read', '{"ids":[4,5]}'],
    ])
  })

  it('asks the inbox in the UI language', async () => {
    const { client, calls } = clientWith(() => json(200, { items: [], total: 0, unread: 0 }), { language: () => 'en' })
    await client.inbox({ unread: true })
    expect(calls[0]?.url).toBe('/api/v1/inbox?unread=true')
    expect(header(calls[0], 'Accept-Language')).toBe('en')
  })
})
