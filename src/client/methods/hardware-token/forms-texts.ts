import en from '../../../../locales/en/hardware-token-forms.json';
import pl from '../../../../locales/pl/hardware-token-forms.json';
import { addTexts } from './add-texts.ts';

// The activation and verify forms' texts come with the forms' code, loaded when a form is shown.
addTexts('hardware-token-forms', { en, pl });
