// Polling with a deadline: asks again every `intervalMs` until the answer is final, and gives up
// once `deadlineMs` have passed since the first question, so that an answer that never becomes
// final (a server that died while computing it) cannot keep a page polling for ever.

export interface PollOptions<T> {
  fetch: () => Promise<T>
  isFinal: (value: T) => boolean
  intervalMs: number
  deadlineMs: number
  // Every answer, final or not, as it comes (to show progress).
  onValue?: (value: T) => void
}

export type PollOutcome<T> = { final: true; value: T } | { final: false; value: T | undefined }

export interface Poll<T> {
  // Settles with the final answer, or with `final: false` and the last answer once the deadline
  // has passed or the poll was cancelled; rejects when a question fails.
  result: Promise<PollOutcome<T>>
  cancel: () => void
}

export function poll<T>(options: PollOptions<T>): Poll<T> {
  const started = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  let cancelled = false
  let last: T | undefined
  let settle: (outcome: PollOutcome<T>) => void = () => undefined
  const result = new Promise<PollOutcome<T>>((resolve, reject) => {
    settle = resolve
    const ask = async (): Promise<void> => {
      timer = undefined
      if (cancelled) return
      try {
        last = await options.fetch()
      } catch (e) {
        if (!cancelled) reject(e)
        return
      }
      if (cancelled) return
      options.onValue?.(last)
      if (options.isFinal(last)) return resolve({ final: true, value: last })
      if (Date.now() - started + options.intervalMs > options.deadlineMs) {
        return resolve({ final: false, value: last })
      }
      timer = setTimeout(() => void ask(), options.intervalMs)
    }
    void ask()
  })
  return {
    result,
    cancel: () => {
      cancelled = true
      clearTimeout(timer)
      settle({ final: false, value: last })
    },
  }
}
