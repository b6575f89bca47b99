// A detail page's record, named by the route's :id: loaded whenever the id changes, with the
// loading and error states such a page shows (a 404 is an error like any other).
import { computed, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import { useRoute } from 'vue-router'
import { ApiError } from '@/api'

export interface RouteRecord<T> {
  id: Ref<number>
  record: ShallowRef<T | null>
  loading: Ref<boolean>
  error: Ref<ApiError | null>
  load: () => Promise<void>
}

/** `fetch` reads the record; `loaded`, if given, runs after each successful read. */
export function useRouteRecord<T>(fetch: (id: number) => Promise<T>, loaded?: (record: T) => void): RouteRecord<T> {
  const route = useRoute()
  const id = computed(() => Number(route.params.id))
  const record = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)

  async function load(): Promise<void> {
    if (!Number.isFinite(id.value)) return
    loading.value = true
    error.value = null
    try {
      record.value = await fetch(id.value)
      loaded?.(record.value)
    } catch (e) {
      record.value = null
      error.value = ApiError.from(e)
    } finally {
      loading.value = false
    }
  }
  watch(id, load, { immediate: true })
  return { id, record, loading, error, load }
}
