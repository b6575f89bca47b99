import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { poll } from './poll'

describe('poll', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('stops at the deadline when the answer never becomes final', async () => {
    const fetch = vi.fn(async () => ({ state: 'running' }))
    const seen: string[] = []
    const p = poll({
      fetch,
      isFinal: (v) => v.state !== 'running',
      intervalMs: 1000,
      deadlineMs: 10_000,
      onValue: (v) => seen.push(v.state),
    })
    await vi.advanceTimersByTimeAsync(60_000)
    await expect(p.result).resolves.toEqual({ final: false, value: { state: 'running' } })
    // Asked at 0, 1, …, 10 s (the deadline) and never after it.
    expect(fetch).toHaveBeenCalledTimes(11)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fetch).toHaveBeenCalledTimes(11)
    expect(seen).toHaveLength(11)
  })

  it('ends with the final answer before the deadline', async () => {
    let n = 0
    const fetch = vi.fn(async () => ({ state: ++n < 3 ? 'running' : 'done' }))
    const p = poll({ fetch, isFinal: (v) => v.state !== 'running', intervalMs: 1000, deadlineMs: 10_000 })
    await vi.advanceTimersByTimeAsync(5000)
    await expect(p.result).resolves.toEqual({ final: true, value: { state: 'done' } })
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('asks no more once cancelled', async () => {
    const fetch = vi.fn(async () => 'running')
    const p = poll({ fetch, isFinal: () => false, intervalMs: 1000, deadlineMs: 60_000 })
    await vi.advanceTimersByTimeAsync(2500)
    p.cancel()
    await expect(p.result).resolves.toEqual({ final: false, value: 'running' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('rejects when a question fails', async () => {
    const fetch = vi.fn(async () => {
      throw new Error('offline')
    })
    const p = poll({ fetch, isFinal: () => false, intervalMs: 1000, deadlineMs: 60_000 })
    await expect(p.result).rejects.toThrow('offline')
  })
})
