import { describe, expect, it } from 'vitest'
import { allowedPages } from './navigation'

describe('the menu', () => {
  it('shows 覆盖情况 to staff and unions who read figures, never to a lecturer', () => {
    const reads = (): boolean => true
    const keys = (role: 'viewer' | 'lecturer' | 'requester', lecturerId: number | null) =>
      allowedPages(reads, { role, lecturer_id: lecturerId }).map((p) => p.key)
    expect(keys('viewer', null)).toContain('coverage')
    expect(keys('requester', null)).toContain('coverage')
    expect(keys('lecturer', 3)).not.toContain('coverage')
    expect(keys('lecturer', 3)).toContain('dashboard')
  })
})

describe('a merchant till', () => {
  it('sees only the redemption page, and nobody else sees it', () => {
    const perms = (ps: string[]) => (p: string): boolean => ps.includes(p)
    const merchant = allowedPages(perms(['voucher.redeem']), { role: 'merchant', lecturer_id: null }).map((p) => p.key)
    expect(merchant).toEqual(['redeem'])
    const admin = allowedPages(() => true, { role: 'admin', lecturer_id: null }).map((p) => p.key)
    expect(admin).toContain('vouchers')
    expect(admin).not.toContain('redeem')
  })
})
