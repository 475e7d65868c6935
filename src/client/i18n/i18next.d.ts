import 'i18next';
import type { Resources } from './resources.ts';

// Keys are typed from the English files, so a key missing there fails the build.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: Resources;
  }
}
