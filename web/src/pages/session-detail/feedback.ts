// The feedback summary as the panel draws it.

export interface RatingShare {
  /** answers with this many stars */
  count: number
  /** their share of all answers, in whole percent (0 when there are none) */
  share: number
}

/**
 * One entry per star count 1–5 from the API's `by_rating` (counts of 1, 2, 3, 4 and 5 stars);
 * missing counts are 0.
 */
export function ratingShares(byRating: readonly number[]): RatingShare[] {
  const counts = [0, 1, 2, 3, 4].map((i) => Math.max(0, Math.trunc(byRating[i] ?? 0)))
  const total = counts.reduce((sum, n) => sum + n, 0)
  return counts.map((count) => ({ count, share: total === 0 ? 0 : Math.round((count * 100) / total) }))
}
