// The server's answer to a failed save, kept for a form: field messages for <el-form-item :error>,
// and one general message for an alert above the form.
import { nextTick, reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@/api'
import { splitErrors } from '@/utils/formErrors'

export interface ServerErrors {
  fields: Record<string, string>
  general: Ref<string>
  /** true while a save runs */
  saving: Ref<boolean>
  clear: () => void
  apply: (error: unknown) => Promise<void>
  /**
   * The one way a form saves: clears the last answer, checks the form (`validate` answers false
   * when a rule fails), runs `save`, and keeps the server's errors if it fails.
   */
  submit: (validate: () => Promise<boolean>, save: () => Promise<void>) => Promise<void>
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

  const saving = ref(false)
  async function submit(validate: () => Promise<boolean>, save: () => Promise<void>): Promise<void> {
    clear()
    if (!(await validate())) return
    saving.value = true
    try {
      await save()
    } catch (e) {
      await apply(e)
    } finally {
      saving.value = false
    }
  }

  return { fields, general, saving, clear, apply, submit }
}
