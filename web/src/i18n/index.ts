// Chinese first, English available: the language is the person's choice, kept in this browser.
// Each screen keeps its labels beside it in `<name>.i18n.ts` (zh, and en typed after zh so none is
// missing); they are found here by file name, so a new screen adds its file and nothing else.
// Dates and money go through format.ts in the same locale.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

type Labels = { [key: string]: string | Labels };
const modules = import.meta.glob<{ zh: Labels; en: Labels }>('../**/*.i18n.ts', { eager: true });

const zh: Record<string, Labels> = {};
const en: Record<string, Labels> = {};
for (const [file, labels] of Object.entries(modules)) {
  const name = file.split('/').pop()!.replace('.i18n.ts', '');
  zh[name] = labels.zh;
  en[name] = labels.en;
}

export const LANGUAGES = { zh: '中文', en: 'English' } as const;
export type Language = keyof typeof LANGUAGES;

const saved = localStorage.getItem('hub.language');
export const initialLanguage: Language = saved === 'en' || saved === 'zh' ? saved : 'zh';
document.documentElement.lang = initialLanguage === 'zh' ? 'zh-CN' : 'en';

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: initialLanguage,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(language: Language): void {
  localStorage.setItem('hub.language', language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(language);
}

export default i18n;
