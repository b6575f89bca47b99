// A server-paginated, filtered list whose filters and page live in the address bar, so that a
// reload, the back button or a shared link shows the same page of the same list.
import { reactive, ref, shallowRef, watch, type Ref, type UnwrapRef } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import { ApiError, type Page } from '@/api'

export const PAGE_SIZES = [10, 20, 50, 100] as const
const DEFAULT_PAGE_SIZE = 20

/** Filters are strings as the address bar holds them; "" means "no filter". */
export type Filters = Record<string, string>

export interface PagedList<T, F extends Filters> {
  /** The filters being edited; applied by search(). */
  filters: F
  items: Ref<T[]>
  total: Ref<number>
  /** the server stopped counting at `total`: there are more */
  capped: Ref<boolean>
  page: Ref<number>
  pageSize: Ref<number>
  loading: Ref<boolean>
  error: Ref<ApiError | null>
  search: () => void
  reset: () => void
  setPage: (page: number) => void
  setPageSize: (size: number) => void
  reload: () => Promise<void>
}

function firstString(value: LocationQuery[string] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v : ''
}

function positiveInt(value: string, fallback: number): number {
  const n = Number.parseInt(value, 10)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

export function usePagedList<T, F extends Filters>(
  defaults: F,
  fetchPage: (filters: F, page: number, pageSize: number) => Promise<Page<T>>,
): PagedList<T, F> {
  const route = useRoute()
  const router = useRouter()

  const filters = reactive({ ...defaults }) as F
  const items = shallowRef<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const capped = ref(false)
  const page = ref(1)
  const pageSize = ref(DEFAULT_PAGE_SIZE)
  const loading = ref(false)
  const error = ref<ApiError | null>(null)
  // Answers can arrive out of order when filters change quickly: only the latest one counts.
  let sequence = 0

  function readQuery(query: LocationQuery): void {
    for (const key of Object.keys(defaults) as (keyof F & string)[]) {
      const value = firstString(query[key])
      ;(filters as Record<string, string>)[key] = value || (defaults[key] as string)
    }
    page.value = positiveInt(firstString(query.page), 1)
    const size = positiveInt(firstString(query.size), DEFAULT_PAGE_SIZE)
    pageSize.value = (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE
  }

  function toQuery(nextPage: number, nextSize: number): LocationQueryRaw {
    const query: LocationQueryRaw = {}
    for (const [key, value] of Object.entries(filters as Record<string, string>)) {
      if (value !== '') query[key] = value
    }
    if (nextPage !== 1) query.page = String(nextPage)
    if (nextSize !== DEFAULT_PAGE_SIZE) query.size = String(nextSize)
    return query
  }

  async function reload(): Promise<void> {
    const mine = ++sequence
    loading.value = true
    error.value = null
    try {
      const result = await fetchPage({ ...(filters as UnwrapRef<F>) } as F, page.value, pageSize.value)
      if (mine !== sequence) return
      items.value = result.items
      total.value = result.total
      capped.value = result.total_capped === true
    } catch (e) {
      if (mine !== sequence) return
      items.value = []
      total.value = 0
      capped.value = false
      error.value = ApiError.from(e)
    } finally {
      if (mine === sequence) loading.value = false
    }
  }

  function navigate(nextPage: number, nextSize: number): void {
    const query = toQuery(nextPage, nextSize)
    const same = JSON.stringify(query) === JSON.stringify(toQueryOf(route.query))
    if (same) void reload()
    else void router.push({ query })
  }

  // The current address's query in the same normalised form as toQuery().
  function toQueryOf(query: LocationQuery): LocationQueryRaw {
    const out: LocationQueryRaw = {}
    for (const key of Object.keys(defaults)) {
      const value = firstString(query[key])
      if (value !== '') out[key] = value
    }
    const p = firstString(query.page)
    if (p && p !== '1') out.page = p
    const s = firstString(query.size)
    if (s && s !== String(DEFAULT_PAGE_SIZE)) out.size = s
    return out
  }

  // Leaving the page also changes the query; that change belongs to the next page.
  const ownRoute = route.name
  watch(
    () => route.query,
    (query) => {
      if (route.name !== ownRoute) return
      readQuery(query)
      void reload()
    },
    { immediate: true },
  )

  return {
    filters,
    items,
    total,
    capped,
    page,
    pageSize,
    loading,
    error,
    search: () => navigate(1, pageSize.value),
    reset: () => {
      Object.assign(filters, defaults)
      navigate(1, pageSize.value)
    },
    setPage: (p) => navigate(p, pageSize.value),
    setPageSize: (s) => navigate(1, s),
    reload,
  }
}
