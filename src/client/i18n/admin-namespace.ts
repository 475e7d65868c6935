import i18next from 'i18next';
import en from '../../../locales/en/admin.json';
import enLog from '../../../locales/en/admin-log.json';
import pl from '../../../locales/pl/admin.json';
import plLog from '../../../locales/pl/admin-log.json';

/**
 * The admin pages' texts (the admin area and its verification log). Only the admin pages import this module, so the texts arrive with
 * their code instead of with every page; importing it adds them to i18next, now or once it starts.
 */
function addAdminNamespace(): void {
  if (i18next.hasResourceBundle('en', 'admin')) return;
  i18next.addResourceBundle('en', 'admin', en);
  i18next.addResourceBundle('pl', 'admin', pl);
  i18next.addResourceBundle('en', 'admin-log', enLog);
  i18next.addResourceBundle('pl', 'admin-log', plLog);
}

if (i18next.isInitialized) addAdminNamespace();
else i18next.on('initialized', addAdminNamespace);
