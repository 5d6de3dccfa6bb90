import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../api/client.ts';
import type { RegionLevel, RegionSearchHit } from '../api/types.ts';
import { useDebounced } from '../hooks.ts';

export interface PickedRegion {
  code: string;
  name: string;
  level?: RegionLevel;
}

interface Props {
  label: string;
  /** Levels offered, e.g. [1, 2] for provinces and regencies. */
  levels: RegionLevel[];
  value: PickedRegion | null;
  onChange: (region: PickedRegion | null) => void;
  error?: string;
  required?: boolean;
  name?: string;
}

/** The ancestors part of a search hit's path ("Kota Bandung, Jawa Barat" → "Jawa Barat"). */
export function pathText(path: string, name: string): string {
  return path.startsWith(`${name}, `) ? path.slice(name.length + 2) : path === name ? '' : path;
}

/**
 * A typo-tolerant region autocomplete (WAI-ARIA combobox with a listbox popup) backed by
 * /api/regions/search, one query per allowed level merged by score.
 */
export function RegionPicker({ label, levels, value, onChange, error, required, name }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [hits, setHits] = useState<RegionSearchHit[]>([]);
  const [searching, setSearching] = useState(false);
  const query = useDebounced(text.trim(), 250);
  const levelKey = levels.join(',');

  // Follow a selection made from outside; typing clears the value but keeps the text.
  const selectedName = value?.name;
  useEffect(() => {
    if (selectedName !== undefined) setText(selectedName);
  }, [selectedName]);

  useEffect(() => {
    if (query.length < 2 || query === selectedName) {
      setHits([]);
      setSearching(false);
      return;
    }
    const ctrl = new AbortController();
    setSearching(true);
    const lv = levelKey.split(',').map(Number);
    Promise.all(
      lv.map((level) =>
        api.get<{ items: RegionSearchHit[] }>(withQuery('/api/regions/search', { q: query, level, limit: 8 }), {
          signal: ctrl.signal,
        }),
      ),
    )
      .then((pages) => {
        const merged = pages.flatMap((p) => p.items).filter((h) => lv.includes(h.level));
        merged.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.level - b.level);
        setHits(merged.slice(0, 10));
        setActive(merged.length ? 0 : -1);
        setSearching(false);
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setHits([]);
        setSearching(false);
      });
    return () => ctrl.abort();
  }, [query, levelKey, selectedName]);

  const choose = (hit: RegionSearchHit) => {
    onChange({ code: hit.code, name: hit.name, level: hit.level });
    setText(hit.name);
    setOpen(false);
    setHits([]);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(hits.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter' && open && active >= 0 && hits[active]) {
      e.preventDefault();
      choose(hits[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const showList = open && query.length >= 2 && !(value && text === value.name);
  const describedBy = [hintId, error ? errorId : ''].filter(Boolean).join(' ');

  return (
    <div className={`field region-picker${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="combo">
        <input
          id={id}
          name={name}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          aria-required={required || undefined}
          placeholder={t('regionPicker.placeholder')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            if (value) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        {value && (
          <button
            type="button"
            className="combo-clear"
            aria-label={t('regionPicker.clear')}
            onClick={() => {
              onChange(null);
              setText('');
            }}
          >
            ×
          </button>
        )}
      </div>
      <ul id={listId} role="listbox" aria-label={label} className="combo-list" hidden={!showList}>
        {searching && hits.length === 0 && <li className="combo-empty">{t('regionPicker.searching')}</li>}
        {!searching && hits.length === 0 && <li className="combo-empty">{t('regionPicker.noMatch')}</li>}
        {hits.map((h, i) => (
          <li
            key={h.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(h)}
          >
            <span className="combo-name">{h.name}</span>
            <span className="combo-meta">
              {t(`levels.${h.level}`)}
              {pathText(h.path, h.name) ? ` · ${pathText(h.path, h.name)}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <p className="hint" id={hintId}>
        {value ? t('regionPicker.selected', { name: `${value.name} (${value.code})` }) : t('regionPicker.hint')}
      </p>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
