import i18next from 'i18next';
import en from '../../../../../locales/en/hardware-token-admin.json';
import pl from '../../../../../locales/pl/hardware-token-admin.json';

/**
 * The token admin pages' texts travel with those pages' code, not with every page; importing
 * this module adds them to i18next, now or once it starts.
 */
function addTexts(): void {
  if (i18next.hasResourceBundle('en', 'hardware-token-admin')) return;
  i18next.addResourceBundle('en', 'hardware-token-admin', en);
  i18next.addResourceBundle('pl', 'hardware-token-admin', pl);
}

if (i18next.isInitialized) addTexts();
else i18next.on('initialized', addTexts);
