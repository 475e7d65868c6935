import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { namespaces, resources } from '../i18n/resources.ts';

/**
 * Component tests read the real English texts, so they find elements by what
 * a user sees (and a changed text fails them, as it would confuse users).
 */
export async function initTestI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: 'en',
    fallbackLng: false,
    ns: [...namespaces],
    defaultNS: 'common',
    resources,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

/**
 * jsdom has <dialog> but not its modal methods; these do what the tests need:
 * open and close, with the close event the Dialog component listens to.
 */
export function polyfillDialog(): void {
  const proto = HTMLDialogElement.prototype;
  if (typeof proto.showModal === 'function') return;
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
  if (!('open' in proto)) {
    Object.defineProperty(proto, 'open', {
      get(this: HTMLDialogElement) {
        return this.hasAttribute('open');
      },
    });
  }
}
