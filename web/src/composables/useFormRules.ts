// The rules every form repeats, with messages in the UI language and the server's wording:
// required, length in characters, number of items, and the password rule.
import { useI18n } from 'vue-i18n'
import type { FormItemRule } from 'element-plus'
import { charLength, passwordProblem } from '@/utils/validators'

export interface FormRulesKit {
  required: (label: string, trigger?: 'blur' | 'change') => FormItemRule
  maxLength: (label: string, n: number) => FormItemRule
  maxItems: (label: string, n: number) => FormItemRule
  /** A custom check: `message` answers the error, or "" when the value is fine. */
  check: <V>(message: (value: V) => string, trigger?: 'blur' | 'change') => FormItemRule
  password: () => FormItemRule
}

export function useFormRules(): FormRulesKit {
  const { t } = useI18n()

  function check<V>(message: (value: V) => string, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
    return {
      validator: (_rule, value: V, callback) => {
        const m = message(value)
        if (m) callback(new Error(m))
        else callback()
      },
      trigger,
    }
  }

  return {
    required: (label, trigger = 'blur') => ({ required: true, message: t('validation.required', { field: label }), trigger }),
    maxLength: (label, n) => check<string>((v) => (charLength(v ?? '') > n ? t('validation.tooLong', { field: label, n }) : '')),
    maxItems: (label, n) => check<unknown[]>((v) => (v.length > n ? t('validation.tooMany', { field: label, n }) : ''), 'change'),
    check,
    password: () =>
      check<string>((v) => {
        const problem = v ? passwordProblem(v) : null
        if (problem === 'length') return t('accounts.passwordLength')
        if (problem === 'simple') return t('accounts.passwordSimple')
        return ''
      }),
  }
}
