import { describe, expect, it } from 'vitest'
import { checkCharacter, formatFen, parseYuan, residentIdProblem, share } from './money'

describe('care money', () => {
  it('parses yuan to exact fen, never through floating point', () => {
    expect(parseYuan('1234.5')).toBe(123450)
    expect(parseYuan('0.07')).toBe(7)
    expect(parseYuan('1,000,000')).toBe(100000000)
    expect(parseYuan('19.99')).toBe(1999) // 19.99 * 100 is 1998.9999999999998 in floating point
    expect(parseYuan('1.234')).toBeNull()
    expect(parseYuan('-5')).toBeNull()
    expect(parseYuan('')).toBeNull()
    expect(parseYuan('abc')).toBeNull()
  })
  it('formats fen as yuan exactly', () => {
    expect(formatFen(123450)).toBe('1,234.50')
    expect(formatFen(7)).toBe('0.07')
    expect(formatFen(1000000000)).toBe('10,000,000.00')
    expect(formatFen(-150)).toBe('-1.50')
  })
  it('bars never pass 100', () => {
    expect(share(1, 3)).toBe(33.3)
    expect(share(5, 0)).toBe(0)
    expect(share(9, 4)).toBe(100)
  })
  it('checks a resident ID number as it is typed', () => {
    const first = '15020319800101123'
    const good = first + checkCharacter(first)
    expect(residentIdProblem(good)).toBeNull()
    expect(residentIdProblem(good.toLowerCase())).toBeNull()
    expect(residentIdProblem(good.slice(0, 10))).toBe('length')
    expect(residentIdProblem('1502A')).toBe('characters')
    const wrong = first + (checkCharacter(first) === '0' ? '1' : '0')
    expect(residentIdProblem(wrong)).toBe('check')
    expect(residentIdProblem('150203198002301234')).toBe('birth')
    expect(checkCharacter('11010519491231002')).toBe('X')
  })
})
