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
