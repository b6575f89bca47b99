import { describe, expect, it } from 'vitest'
import type { Campaign } from '@/api'
import { currentCampaign, defaultCampaign, orderCampaign, takesOrders } from './useCampaigns'

const c = (id: number, start_date: string, end_date: string, closed = false): Campaign => ({
  id,
  title: `c${id}`,
  owner_organisation_id: 1,
  start_date,
  end_date,
  description: '',
  targets: [],
  closed_at: closed ? '2026-11-30T08:00:00Z' : null,
})

describe('the one rule for the current campaign', () => {
  const past = c(1, '2022-11-01', '2023-01-31')
  const running = c(2, '2026-11-01', '2027-01-31')
  const closedRunning = c(3, '2026-11-15', '2026-12-31', true)
  const next = c(4, '2027-03-01', '2027-05-31')
  const later = c(5, '2027-06-01', '2027-06-30')

  it('is the open one running today; a closed one never is', () => {
    expect(currentCampaign([past, running, closedRunning, next], '2026-12-03')?.id).toBe(2)
    expect(currentCampaign([past, closedRunning, next], '2026-12-03')).toBeNull()
  })
  it('a new order goes to the running one, else the next to start, never a closed or ended one', () => {
    expect(orderCampaign([past, running, later, next], '2026-12-03')?.id).toBe(2)
    expect(orderCampaign([past, closedRunning, later, next], '2026-12-03')?.id).toBe(4)
    expect(orderCampaign([past, closedRunning], '2026-12-03')).toBeNull()
    expect(takesOrders(past, '2026-12-03')).toBe(false)
    expect(takesOrders(next, '2026-12-03')).toBe(true)
    expect(takesOrders(closedRunning, '2026-12-03')).toBe(false)
  })
  it('a page that always shows one falls back to the latest ended, then the latest closed', () => {
    expect(defaultCampaign([past, closedRunning, next], '2026-12-03')?.id).toBe(1)
    expect(defaultCampaign([closedRunning, next], '2026-12-03')?.id).toBe(3)
    expect(defaultCampaign([next, later], '2026-12-03')?.id).toBe(4)
  })
})
