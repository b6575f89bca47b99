#!/usr/bin/env node
// Gzipped JavaScript each route loads on a cold visit: the entry, the route's chunk and every
// chunk they import statically. Reads dist/.vite/manifest.json (written by `vite build`).
// Usage: node scripts/bundle-size.mjs [--max-login-kb 300]
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'))
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)

/** The manifest key of a source file: itself, or (when Rollup shares its chunk) the chunk's. */
function keyOf(src) {
  if (manifest[src]) return src
  const found = Object.keys(manifest).find((k) => manifest[k].src === src || manifest[k].name === src.replace(/^.*\//, '').replace(/\.vue$/, ''))
  if (!found) throw new Error(`${src} is not in the build manifest`)
  return found
}

function closure(keys) {
  const seen = new Set()
  const visit = (key) => {
    if (seen.has(key)) return
    seen.add(key)
    for (const dep of manifest[key].imports ?? []) visit(dep)
  }
  keys.forEach(visit)
  return [...seen]
}

function gzipKb(keys) {
  let bytes = 0
  for (const key of keys) bytes += gzipSync(readFileSync(join(dist, manifest[key].file)), { level: 9 }).length
  return bytes / 1024
}

const pages = {
  login: 'src/pages/login/LoginPage.vue',
  home: 'src/pages/home/HomePage.vue',
  lecturers: 'src/pages/lecturers/LecturersPage.vue',
  sessions: 'src/pages/sessions/SessionsPage.vue',
  organisations: 'src/pages/organisations/OrganisationsPage.vue',
  accounts: 'src/pages/accounts/AccountsPage.vue',
  dictionaries: 'src/pages/dictionaries/DictionariesPage.vue',
  audit: 'src/pages/audit/AuditPage.vue',
  lecturer: 'src/pages/lecturer-profile/LecturerProfilePage.vue',
  lecturerForm: 'src/pages/lecturer-form/LecturerFormPage.vue',
  orders: 'src/pages/orders/OrdersPage.vue',
  order: 'src/pages/orders/OrderDetailPage.vue',
  orderForm: 'src/pages/orders/OrderFormPage.vue',
  dispatch: 'src/pages/dispatch/DispatchPage.vue',
  dashboard: 'src/pages/dashboard/DashboardPage.vue',
  agenda: 'src/pages/agenda/AgendaPage.vue',
  feedback: 'src/pages/feedback/FeedbackPage.vue',
  qrPrint: 'src/pages/qr-print/QrPrintPage.vue',
  session: 'src/pages/session-detail/SessionDetailPage.vue',
  coverage: 'src/pages/coverage/CoveragePage.vue',
}
// Pages that load a part of themselves at once but separately (the dashboard's ECharts chunk):
// reported again with that part, as "<page>+<part>".
const parts = {
  'dashboard+charts': ['dashboard', 'src/pages/dashboard/DashboardChart.vue'],
}
const layout = 'src/layout/AppLayout.vue'

const sizes = {}
for (const [name, key] of Object.entries(pages)) {
  const roots = name === 'login' ? [entryKey, keyOf(key)] : [entryKey, keyOf(layout), keyOf(key)]
  sizes[name] = gzipKb(closure(roots))
}
for (const [name, [page, part]] of Object.entries(parts)) {
  sizes[name] = gzipKb(closure([entryKey, keyOf(layout), keyOf(pages[page]), keyOf(part)]))
}
for (const [name, kb] of Object.entries(sizes)) console.log(`${name.padEnd(17)} ${kb.toFixed(1).padStart(7)} KB gzipped JS`)

const i = process.argv.indexOf('--max-login-kb')
if (i > 0) {
  const max = Number(process.argv[i + 1])
  if (!(sizes.login <= max)) {
    console.error(`login page loads ${sizes.login.toFixed(1)} KB of gzipped JS, over the ${max} KB budget`)
    process.exit(1)
  }
}
