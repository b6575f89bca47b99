import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { i18n, currentLocale } from './i18n'
import { router } from './router'

document.documentElement.lang = currentLocale()

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app')
