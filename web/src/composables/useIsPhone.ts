import { onBeforeUnmount, ref, type Ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767px)'

/** Whether the viewport is phone-sized; follows rotation and resizing. */
export function useIsPhone(): Ref<boolean> {
  const media = window.matchMedia(PHONE_QUERY)
  const isPhone = ref(media.matches)
  const update = (e: MediaQueryListEvent): void => {
    isPhone.value = e.matches
  }
  media.addEventListener('change', update)
  onBeforeUnmount(() => media.removeEventListener('change', update))
  return isPhone
}
