import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '@/locales/en'
import zh from '@/locales/zh-CN'
import { PRIORITY_CHOICES, priorityCode, priorityLabel, priorityLevel, priorityOfLevel, priorityTag } from './priority'

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zh, en } })
  return (key: string) => i18n.global.t(key)
}

describe('priority notation', () => {
  it('shows the most urgent order (API priority 5) as P1 and the least (1) as P5', () => {
    expect([5, 4, 3, 2, 1].map(priorityCode)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5'])
  })

  it('is its own inverse and clamps what the API never sends', () => {
    for (const p of [1, 2, 3, 4, 5]) expect(priorityOfLevel(priorityLevel(p))).toBe(p)
    expect(priorityLevel(9)).toBe(1)
    expect(priorityLevel(0)).toBe(5)
    expect(priorityLevel(Number.NaN)).toBe(3)
  })

  it('words each level in both languages', () => {
    const zhT = translator('zh-CN')
    expect([5, 4, 3, 2, 1].map((p) => priorityLabel(p, zhT))).toEqual(['P1 最高', 'P2 高', 'P3 中', 'P4 低', 'P5 最低'])
    expect(priorityLabel(5, translator('en'))).toBe('P1 highest')
    expect(priorityLabel(1, translator('en'))).toBe('P5 lowest')
  })

  it('gives each level its own look, the most urgent solid red', () => {
    const looks = [5, 4, 3, 2, 1].map(priorityTag)
    expect(looks[0]).toEqual({ type: 'danger', effect: 'dark' })
    expect(new Set(looks.map((l) => `${l.type}/${l.effect}`)).size).toBe(5)
  })

  it('lists the form choices most urgent first', () => {
    expect(PRIORITY_CHOICES.map((c) => [c.value, c.level])).toEqual([
      [5, 1],
      [4, 2],
      [3, 3],
      [2, 4],
      [1, 5],
    ])
  })
})
