import i18next, { type ResourceKey } from 'i18next';

/**
 * Adds a namespace of texts that travels with the code that needs it (the token forms, the
 * admin pages) instead of with every page; now, or once i18next starts.
 */
export function addTexts(namespace: string, texts: { en: ResourceKey; pl: ResourceKey }): void {
  const add = () => {
    if (i18next.hasResourceBundle('en', namespace)) return;
    i18next.addResourceBundle('en', namespace, texts.en);
    i18next.addResourceBundle('pl', namespace, texts.pl);
  };
  if (i18next.isInitialized) add();
  else i18next.on('initialized', add);
}
