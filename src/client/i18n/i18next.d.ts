import 'i18next';
import type { resources } from './resources.ts';

// Keys are typed from the English files, so a key missing there fails the build.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}
