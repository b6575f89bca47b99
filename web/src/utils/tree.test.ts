import { describe, expect, it } from 'vitest'
import type { Organisation } from '@/api'
import { buildOrgTree } from './tree'

function org(id: number, parent_id: number | null, name: string): Organisation {
  return { id, parent_id, name, level: 'league', region_code: '', industry: '', address: '', lat: null, lon: null, path: '' }
}

describe('buildOrgTree', () => {
  it('nests by parent and keeps the given sibling order', () => {
    const roots = buildOrgTree([org(1, null, '自治区'), org(3, 1, '包头'), org(2, 1, '呼和浩特'), org(4, 3, '昆都仑')])
    expect(roots.map((r) => r.id)).toEqual([1])
    expect(roots[0]?.children.map((c) => c.label)).toEqual(['包头', '呼和浩特'])
    expect(roots[0]?.children[0]?.children.map((c) => c.id)).toEqual([4])
  })
  it('makes the top of a partial tree a root', () => {
    // An organiser of 包头 sees 包头 and below, whose parent is out of scope.
    const roots = buildOrgTree([org(3, 1, '包头'), org(4, 3, '昆都仑')])
    expect(roots.map((r) => r.id)).toEqual([3])
  })
})
