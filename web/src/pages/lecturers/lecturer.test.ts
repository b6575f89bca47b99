import { describe, expect, it } from 'vitest'
import { nameInitial, placeholderColour } from './lecturer'

describe('nameInitial', () => {
  it('takes the first character of the name as written', () => {
    expect(nameInitial('王丽华')).toBe('王')
    expect(nameInitial('  巴特尔')).toBe('巴')
    expect(nameInitial('anna')).toBe('A')
  })
  it('keeps a character outside the BMP whole, and marks a missing name', () => {
    expect(nameInitial('𠀋一')).toBe('𠀋')
    expect(nameInitial('')).toBe('?')
    expect(nameInitial('   ')).toBe('?')
  })
})

describe('placeholderColour', () => {
  it('is fixed per lecturer, and neighbours differ', () => {
    expect(placeholderColour(3)).toBe(placeholderColour(3))
    expect(placeholderColour(3)).not.toBe(placeholderColour(4))
    expect(placeholderColour(0)).toMatch(/^#[0-9a-f]{6}$/)
    expect(placeholderColour(-1)).toMatch(/^#[0-9a-f]{6}$/)
  })
})
