import { describe, expect, it } from 'vitest'
import { ratingShares } from './feedback'

describe('ratingShares', () => {
  it('gives each star count its share of the answers', () => {
    expect(ratingShares([0, 0, 0, 1, 3])).toEqual([
      { count: 0, share: 0 },
      { count: 0, share: 0 },
      { count: 0, share: 0 },
      { count: 1, share: 25 },
      { count: 3, share: 75 },
    ])
  })
  it('is all zero without answers, and fills missing counts', () => {
    expect(ratingShares([]).map((s) => s.share)).toEqual([0, 0, 0, 0, 0])
    expect(ratingShares([2]).map((s) => s.count)).toEqual([2, 0, 0, 0, 0])
    expect(ratingShares([2])[0]?.share).toBe(100)
  })
})
