import en from '../../../../../locales/en/hardware-token-admin.json';
import pl from '../../../../../locales/pl/hardware-token-admin.json';
import { addTexts } from '../add-texts.ts';

// The token admin pages' texts come with those pages' code.
addTexts('hardware-token-admin', { en, pl });
