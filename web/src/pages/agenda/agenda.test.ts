import { describe, expect, it } from 'vitest'
import type { AgendaItem, Order } from '@/api'
import { addDays, dateBadge, defaultRange, groupAgenda, shanghaiToday, validRange, webcalUrl } from './agenda'

function order(id: number, state: Order['state'], date: string | null, start: string | null = null): Order {
  return { id, state, date, start_time: start, end_time: null } as Order
}

function session(id: number, date: string, start: string | null = null): AgendaItem {
  return {
    kind: 'session',
    id,
    date,
    start_time: start,
    end_time: null,
    title: `s${id}`,
    place: '',
    region_name: '',
    organisation: '',
    state: 'delivered',
    elsewhere: false,
  }
}

describe('shanghaiToday', () => {
  it('is the date in Beijing, not in UTC', () => {
    // 16:30 UTC on 2 December is half past midnight on 3 December in Beijing.
    expect(shanghaiToday(new Date('2026-12-02T16:30:00Z'))).toBe('2026-12-03')
    expect(shanghaiToday(new Date('2026-12-02T15:59:00Z'))).toBe('2026-12-02')
  })
})

describe('dates', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
  it('offers a default range the API takes', () => {
    const r = defaultRange('2026-12-03')
    expect(r).toEqual({ from: '2026-02-06', to: '2027-03-03' })
    expect(validRange(r.from, r.to)).toBe(true)
  })
  it('refuses ranges the API refuses', () => {
    expect(validRange('2026-01-10', '2026-01-09')).toBe(false)
    expect(validRange('2025-01-01', '2026-02-06')).toBe(false) // 400 days is the most
    expect(validRange('2025-01-01', '2026-02-05')).toBe(true)
    expect(validRange('2025-1-1', '2025-02-01')).toBe(false)
    expect(validRange('', '')).toBe(false)
  })
})

describe('groupAgenda', () => {
  const today = '2023-01-10'

  it('asks for an answer to every dispatched order, however old', () => {
    const g = groupAgenda([order(2, 'dispatched', '2023-02-01'), order(1, 'dispatched', '2022-11-21')], [], today)
    expect(g.reply.map((o) => o.id)).toEqual([1, 2])
    expect(g.record).toEqual([])
  })

  it('asks to record accepted orders once their day has come, and lists later ones as upcoming', () => {
    const g = groupAgenda(
      [order(1, 'accepted', '2023-01-10'), order(2, 'accepted', '2023-01-09'), order(3, 'accepted', '2023-01-11'), order(4, 'accepted', null)],
      [],
      today,
    )
    expect(g.record.map((o) => o.id)).toEqual([2, 1])
    expect(g.upcoming.map((e) => e.key)).toEqual(['order-4', 'order-3'])
  })

  it('ignores orders in other states and the agenda\'s own order items', () => {
    const agendaOrder: AgendaItem = { ...session(9, '2023-01-12'), kind: 'order', state: 'accepted' }
    const g = groupAgenda([order(1, 'delivered', '2023-01-01'), order(2, 'submitted', null)], [agendaOrder], today)
    expect(g).toEqual({ reply: [], record: [], upcoming: [], past: [] })
  })

  it('puts sessions after today with the upcoming ones, soonest first, and the rest with those given, latest first', () => {
    const g = groupAgenda(
      [order(5, 'accepted', '2023-01-10', '14:00'), order(6, 'accepted', '2023-01-12', '09:00')],
      [session(1, '2022-12-01'), session(2, '2023-01-09', '15:00'), session(3, '2023-01-09', '09:00'), session(4, '2023-01-12', '08:00'), session(7, '2023-01-10')],
      today,
    )
    expect(g.past.map((s) => s.id)).toEqual([7, 2, 3, 1])
    expect(g.upcoming.map((e) => e.key)).toEqual(['session-4', 'order-6'])
    expect(g.record.map((o) => o.id)).toEqual([5])
  })
})

describe('webcalUrl', () => {
  it('turns the whole link into a webcal link', () => {
    expect(webcalUrl('https://xj.example.cn/api/v1/calendar/abc.ics')).toBe('webcal://xj.example.cn/api/v1/calendar/abc.ics')
    expect(webcalUrl('http://10.0.0.5:8080/api/v1/calendar/abc.ics')).toBe('webcal://10.0.0.5:8080/api/v1/calendar/abc.ics')
  })
})

describe('dateBadge', () => {
  it('splits the date into month and day, and year', () => {
    expect(dateBadge('2022-11-21', 'zh-CN')).toEqual({ monthDay: '11月21日', year: '2022' })
    expect(dateBadge('2022-11-21', 'en')).toEqual({ monthDay: '21 Nov', year: '2022' })
    expect(dateBadge('soon', 'en')).toEqual({ monthDay: 'soon', year: '' })
  })
})
