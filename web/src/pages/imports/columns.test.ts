import { describe, expect, it } from 'vitest'
import { columnIndex, columnLetters } from './columns'

describe('spreadsheet column letters', () => {
  it('reads the letters the server names columns by', () => {
    expect(columnIndex('A')).toBe(0)
    expect(columnIndex('Z')).toBe(25)
    expect(columnIndex('AA')).toBe(26)
    expect(columnIndex('')).toBe(-1)
    expect(columnIndex('a1')).toBe(-1)
  })
  it('writes them back', () => {
    for (const i of [0, 1, 25, 26, 51, 52, 701, 702]) expect(columnIndex(columnLetters(i))).toBe(i)
    expect(columnLetters(27)).toBe('AB')
  })
})
