import { en, zhCN, type Strings } from './strings'

export type Language = 'zh-CN' | 'en'
export type { Strings }

const STRINGS: { readonly [L in Language]: Strings } = { 'zh-CN': zhCN, en }

/**
 * Map WeChat's `language` (e.g. `zh_CN`, `zh_HK`, `en`, `en_US`) or a browser
 * locale to a UI language: English when the system is English, zh-CN otherwise.
 */
export function languageFromSystem(systemLanguage: string | undefined | null): Language {
  return typeof systemLanguage === 'string' && /^en([_-]|$)/i.test(systemLanguage) ? 'en' : 'zh-CN'
}

/** The strings of a UI language. */
export function stringsFor(language: Language): Strings {
  return STRINGS[language]
}

/** A string in both languages, for messages the store queues (toasts, modals). */
export function localized(key: { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings]): {
  'zh-CN': string
  en: string
} {
  return { 'zh-CN': STRINGS['zh-CN'][key] as string, en: STRINGS.en[key] as string }
}
