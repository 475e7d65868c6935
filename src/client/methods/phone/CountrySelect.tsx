import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CountryOption } from './countries.ts';

/** A native select (keyboard and screen-reader friendly everywhere) with a filter box above it. */
export function CountrySelect({ countries, value, onChange }: { countries: CountryOption[]; value: string; onChange(code: string): void }) {
  const { t } = useTranslation('phone');
  const id = useId();
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase().replace(/^\+/, '');
    if (!q) return countries;
    const matches = countries.filter((c) => c.name.toLowerCase().includes(q) || c.callingCode.startsWith(q) || c.code.toLowerCase() === q);
    // Keep the chosen country listed so the select never shows a value it does not contain.
    return matches.some((c) => c.code === value) ? matches : [...countries.filter((c) => c.code === value), ...matches];
  }, [countries, filter, value]);

  return (
    <fieldset className="country-select">
      <legend>{t('setup.countryLegend')}</legend>
      <div className="field">
        <label htmlFor={`${id}-filter`}>{t('setup.countrySearch')}</label>
        <input
          id={`${id}-filter`}
          type="search"
          value={filter}
          autoComplete="off"
          onChange={(e) => {
            setFilter(e.target.value);
            const first = countries.find((c) => c.name.toLowerCase().startsWith(e.target.value.trim().toLowerCase()));
            if (first && e.target.value.trim()) onChange(first.code);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-country`}>{t('setup.country')}</label>
        <select id={`${id}-country`} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="country">
          {shown.map((c) => (
            <option key={c.code} value={c.code}>
              {`${c.name} (+${c.callingCode})`}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
