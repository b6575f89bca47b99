import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { Permission } from '@/api'
import { onSessionExpired } from '@/api'
import { NAV_PAGES, SUB_PAGES } from '@/navigation'
import { useAuthStore } from '@/stores/auth'
import { i18n } from '@/i18n'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** For anyone, signed in or not, and never asks who is (the public feedback form). */
    anonymous?: boolean
    /** Only for an account linked to a lecturer. */
    lecturer?: boolean
    /** Not for a lecturer's account. */
    staff?: boolean
    /** Only for a merchant's till. */
    till?: boolean
    permission?: Permission | null
    /** i18n key of the page title */
    title?: string
    /** the menu entry to highlight, when not the route's own name */
    menu?: string
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/pages/login/LoginPage.vue'),
    meta: { public: true, title: 'login.title' },
  },
  {
    // The audience's form behind the QR code: no layout, no login, no call about the account.
    path: '/feedback/:token',
    name: 'feedback',
    component: () => import('@/pages/feedback/FeedbackPage.vue'),
    meta: { public: true, anonymous: true, title: 'publicFeedback.title' },
  },
  {
    // A sheet to print: the app's chrome stays off it.
    path: '/sessions/:id(\\d+)/qr',
    name: 'session-qr',
    component: () => import('@/pages/qr-print/QrPrintPage.vue'),
    meta: { permission: 'sessions.write', title: 'qrPrint.title' },
  },
  {
    // 宣讲工作简报: an A4 report to print, outside the app's layout like the QR sheet.
    path: '/report',
    name: 'report',
    component: () => import('@/pages/report/ReportPage.vue'),
    meta: { permission: 'sessions.read', title: 'report.title' },
  },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      ...NAV_PAGES.map(
        (page): RouteRecordRaw => ({
          path: page.path,
          name: page.key,
          component: page.component,
          meta: { permission: page.permission, lecturer: page.lecturer, staff: page.staff, till: page.till, title: `menu.${page.key}` },
        }),
      ),
      ...SUB_PAGES.map(
        (page): RouteRecordRaw => ({
          path: page.path,
          name: page.name,
          component: page.component,
          meta: { permission: page.permission, title: page.title, menu: page.menu },
        }),
      ),
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/pages/not-found/NotFoundPage.vue'),
        meta: { title: 'notFound.title' },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
})

/** Only paths of this application: an open redirect would let a link send users elsewhere. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}

router.beforeEach(async (to) => {
  if (to.meta.anonymous) return true
  const auth = useAuthStore()
  await auth.ensureLoaded()
  if (to.meta.public) {
    if (to.name === 'login' && auth.signedIn) return safeRedirect(to.query.redirect)
    return true
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  // A merchant's till has one page: its redemptions (核销).
  if (to.name === 'home' && auth.me?.role === 'merchant') return { name: 'redeem', replace: true }
  const permission = to.meta.permission
  if ((permission && !auth.can(permission)) || (to.meta.lecturer && auth.me?.lecturer_id == null) || (to.meta.staff && auth.me?.role === 'lecturer') || (to.meta.till && auth.me?.role !== 'merchant')) {
    // As the API does for records out of scope: a page one may not use does not exist.
    return {
      name: 'not-found',
      params: { pathMatch: to.path.slice(1).split('/') },
      query: to.query,
      hash: to.hash,
      replace: true,
    }
  }
  return true
})

router.afterEach((to) => {
  const t = i18n.global.t
  const title = to.meta.title ? t(to.meta.title) : ''
  document.title = title ? `${title} · ${t('app.name')}` : t('app.name')
})

onSessionExpired(() => {
  const auth = useAuthStore()
  const current = router.currentRoute.value
  auth.forget()
  if (!current.meta.public) {
    void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})
