import i18next from 'i18next';
import en from '../../../locales/en/password-reset.json';
import pl from '../../../locales/pl/password-reset.json';

/**
 * The password reset's texts travel with its page (as the admin texts do, see admin-namespace.ts), so
 * visitors who never reset a password do not download them; importing this module adds them to i18next.
 */
function addPasswordResetNamespace(): void {
  if (i18next.hasResourceBundle('en', 'password-reset')) return;
  i18next.addResourceBundle('en', 'password-reset', en);
  i18next.addResourceBundle('pl', 'password-reset', pl);
}

if (i18next.isInitialized) addPasswordResetNamespace();
else i18next.on('initialized', addPasswordResetNamespace);
