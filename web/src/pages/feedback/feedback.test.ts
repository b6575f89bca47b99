import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api'
import { doneHere, endsThePage, feedbackProblem, rememberDone } from './feedback'

const err = (status: number, code = 'x') => new ApiError(status, code, 'message')

describe('feedbackProblem', () => {
  it('maps each status the public routes answer', () => {
    expect(feedbackProblem(err(404), 'load')).toBe('notFound')
    expect(feedbackProblem(err(410), 'load')).toBe('closed')
    expect(feedbackProblem(err(410), 'answer')).toBe('closed')
    expect(feedbackProblem(err(429), 'answer')).toBe('tooMany')
    expect(feedbackProblem(err(422), 'answer')).toBe('invalid')
    expect(feedbackProblem(err(0, 'network'), 'signIn')).toBe('network')
    expect(feedbackProblem(err(500), 'load')).toBe('failed')
    expect(feedbackProblem(new Error('boom'), 'load')).toBe('failed')
  })
  it('tells an answer given from a sign-in done by the 409 of each', () => {
    expect(feedbackProblem(err(409), 'answer')).toBe('answered')
    expect(feedbackProblem(err(409), 'signIn')).toBe('signedIn')
  })
  it('ends the page only for a link that is gone', () => {
    expect(endsThePage('notFound')).toBe(true)
    expect(endsThePage('closed')).toBe(true)
    expect(endsThePage('answered')).toBe(false)
    expect(endsThePage('tooMany')).toBe(false)
  })
})

describe('remembering what was done', () => {
  function memory() {
    const data = new Map<string, string>()
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data }
  }
  const token = 'a'.repeat(64)

  it('starts with nothing done and keeps each step', () => {
    const s = memory()
    expect(doneHere(token, s)).toEqual({ answered: false, signedIn: false })
    expect(rememberDone(token, 'signedIn', s)).toEqual({ answered: false, signedIn: true })
    expect(rememberDone(token, 'answered', s)).toEqual({ answered: true, signedIn: true })
    expect(doneHere(token, s)).toEqual({ answered: true, signedIn: true })
    expect(doneHere('b'.repeat(64), s)).toEqual({ answered: false, signedIn: false })
  })
  it('keeps only a prefix of the token', () => {
    const s = memory()
    rememberDone(token, 'answered', s)
    expect([...s.data.keys()]).toEqual(['xj.feedback.' + 'a'.repeat(16)])
  })
  it('survives broken or missing storage', () => {
    expect(doneHere(token, { getItem: () => '{not json' })).toEqual({ answered: false, signedIn: false })
    expect(doneHere(token, null)).toEqual({ answered: false, signedIn: false })
    const throwing = { getItem: () => null, setItem: () => { throw new Error('full') } }
    expect(rememberDone(token, 'answered', throwing)).toEqual({ answered: true, signedIn: false })
  })
})
