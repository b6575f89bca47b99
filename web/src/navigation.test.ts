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
