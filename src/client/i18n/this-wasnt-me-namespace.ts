import i18next from 'i18next';
import en from '../../../locales/en/this-wasnt-me.json';
import pl from '../../../locales/pl/this-wasnt-me.json';

/**
 * The "this wasn't me" page's texts. Only that page imports this module (as the admin pages do
 * admin-namespace.ts), so the texts arrive with its code instead of with every page.
 */
function addNamespace(): void {
  if (i18next.hasResourceBundle('en', 'this-wasnt-me')) return;
  i18next.addResourceBundle('en', 'this-wasnt-me', en);
  i18next.addResourceBundle('pl', 'this-wasnt-me', pl);
}

if (i18next.isInitialized) addNamespace();
else i18next.on('initialized', addNamespace);
