// The server's answer to a failed save, kept for a form: field messages for <el-form-item :error>,
// and one general message for an alert above the form.
import { nextTick, reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api'
import { splitErrors } from '@/utils/formErrors'

export interface ServerErrors {
  fields: Record<string, string>
  general: Ref<string>
  clear: () => void
  apply: (error: unknown) => Promise<void>
}

export function useServerErrors(
  shown: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): ServerErrors {
  const { t } = useI18n()
  const fields = reactive<Record<string, string>>({})
  const general = ref('')

  function clear(): void {
    for (const key of Object.keys(fields)) delete fields[key]
    general.value = ''
  }

  async function apply(error: unknown): Promise<void> {
    clear()
    // A form item shows its error when the message changes: let the cleared state render first,
    // so that the same message as last time shows again.
    await nextTick()
    if (error instanceof ApiError && error.status === 0) {
      general.value = t('common.networkError')
      return
    }
    const split = splitErrors(error, shown, aliases)
    Object.assign(fields, split.fields)
    general.value = split.general
  }

  return { fields, general, clear, apply }
}
