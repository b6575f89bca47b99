// Reference data shared by the pages (dictionaries, regions, campaigns), fetched once and cached.
// A failed load is forgotten so that the next page asks again.
import { defineStore } from 'pinia'
import { reactive } from 'vue'
import { api, type Campaign, type DictionaryEntry, type DictionaryKind, type Organisation, type Region } from '@/api'
import type { Locale } from '@/i18n'

export const useReferenceStore = defineStore('reference', () => {
  const dictionaries = reactive<Partial<Record<DictionaryKind, DictionaryEntry[]>>>({})
  const regionNames = reactive(new Map<string, string>())
  const pending = new Map<string, Promise<unknown>>()

  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const existing = pending.get(key)
    if (existing) return existing as Promise<T>
    const promise = load().catch((e: unknown) => {
      pending.delete(key)
      throw e
    })
    pending.set(key, promise)
    return promise
  }

  function loadDictionary(kind: DictionaryKind): Promise<DictionaryEntry[]> {
    return once(`dict:${kind}`, async () => {
      const entries = await api.listAll((q) => api.dictionary(kind, q), {})
      dictionaries[kind] = entries
      return entries
    })
  }

  function dictionaryName(kind: DictionaryKind, code: string, locale: Locale): string {
    const entry = dictionaries[kind]?.find((e) => e.code === code)
    if (!entry) return code
    return locale === 'en' && entry.name_en ? entry.name_en : entry.name
  }

  /** Regions below `parent` (the provinces when parent is ""), remembering their names. */
  function loadRegions(parent: string): Promise<Region[]> {
    return once(`regions:${parent}`, async () => {
      const query = parent ? { parent } : { level: 'province' as const }
      const regions = await api.listAll((q) => api.regions(q), query)
      for (const r of regions) regionNames.set(r.code, r.name)
      return regions
    })
  }

  /**
   * Makes regionName() know every code given: loads the provinces, and the children of each
   * province and city these codes lie in. Failures leave the codes showing as codes.
   */
  async function ensureRegionNames(codes: Iterable<string>): Promise<void> {
    const parents = new Set<string>([''])
    for (const code of codes) {
      if (!/^\d{6}$/.test(code)) continue
      if (code.endsWith('0000')) continue
      parents.add(`${code.slice(0, 2)}0000`)
      if (!code.endsWith('00')) parents.add(`${code.slice(0, 4)}00`)
    }
    await Promise.allSettled([...parents].map((p) => loadRegions(p)))
  }

  function regionName(code: string): string {
    return regionNames.get(code) ?? code
  }

  function loadCampaigns(): Promise<Campaign[]> {
    return once('campaigns', () => api.listAll((q) => api.campaigns(q), {}))
  }

  /** Every organisation in the caller's scope (small: hundreds at most). */
  function loadOrganisations(): Promise<Organisation[]> {
    return once('organisations', () => api.allOrganisations())
  }

  /** Drops cached data that a save has changed, so that the next use loads it again. */
  function forget(what: 'organisations' | 'campaigns' | DictionaryKind): void {
    if (what === 'organisations' || what === 'campaigns') pending.delete(what)
    else {
      pending.delete(`dict:${what}`)
      delete dictionaries[what]
    }
  }

  return { dictionaries, loadDictionary, loadOrganisations, forget, dictionaryName, loadRegions, ensureRegionNames, regionName, loadCampaigns }
})
