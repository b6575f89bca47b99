import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from '@/locales/en'
import zh from '@/locales/zh-CN'
import { unassignedReason, visitReason, type NameOf } from './planReasons'

function translator(locale: 'zh-CN' | 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { 'zh-CN': zh, en } })
  return (key: string, values?: Record<string, unknown>) => i18n.global.t(key, values ?? {})
}

const names: NameOf = (kind, code) => (kind === 'topic' && code === 'craftsmanship' ? '工匠精神' : code === 'model_worker' ? '劳动模范' : code)

const reason = {
  why: 'qualifies by category model_worker; 12 lecturers qualify, this one is the 2nd nearest',
  requested: false,
  category: 'model_worker',
  topic: 'craftsmanship',
  language: '',
  online: false,
  same_day_sessions: 1,
  qualified_lecturers: 12,
  home_distance_rank: 2,
  travel_before: { from: 'home', km: 42.5, minutes: 51 },
  travel_after: { to: '17', km: 18, minutes: 22 },
}

describe('visitReason', () => {
  it('words the data in Chinese with dictionary names', () => {
    const text = visitReason(reason, false, translator('zh-CN'), names)
    expect(text).toContain('劳动模范')
    expect(text).toContain('工匠精神')
    expect(text).toContain('12')
    expect(text).toContain('42.5')
    expect(text).not.toMatch(/qualif|nearest/)
  })

  it('words the same data in English', () => {
    const text = visitReason(reason, true, translator('en'), names)
    expect(text).toMatch(/already accepted/i)
    expect(text).toContain('12 lecturers qualify')
    expect(text).toContain('no. 2')
  })

  it('says an online lecture needs no travel and falls back to the sentence of an older plan', () => {
    const t = translator('zh-CN')
    const online = visitReason({ ...reason, online: true, category: '', topic: '' }, false, t, names)
    expect(online).not.toContain('42.5')
    expect(visitReason({ why: 'any lecturer qualifies' }, false, t, names)).toBe('any lecturer qualifies')
    expect(visitReason(undefined, false, t, names)).toBe('')
  })
})

describe('unassignedReason', () => {
  it('words every code and keeps an unknown one as the plan says it', () => {
    const t = translator('zh-CN')
    for (const code of ['no_qualified_lecturer', 'none_available', 'unreachable', 'outranked', 'no_place']) {
      const text = unassignedReason({ reason_code: code, reason: 'english' }, t)
      expect(text).not.toBe('english')
      expect(text).not.toContain('dispatch.')
    }
    expect(unassignedReason({ reason_code: 'new', reason: 'english' }, t)).toBe('english')
  })
})
