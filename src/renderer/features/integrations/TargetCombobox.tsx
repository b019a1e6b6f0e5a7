import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AssociationTarget, CrmProviderId, TargetKind } from "@shared/contract";
import { useCrmTargets } from "../../api/crm";
import { useErrorText } from "../../components/ui";
import { useFormat } from "../../i18n/format";
import { useDebouncedValue } from "../projects/use-debounced-value";

const SEARCH_DEBOUNCE_MS = 300;
/** HubSpot's and Salesforce's searches answer at most this many records (services/crm). */
export const TARGET_SEARCH_LIMIT = 20;

interface Props {
  provider: CrmProviderId;
  kind: TargetKind;
  value: AssociationTarget | null;
  onChange(target: AssociationTarget | null): void;
}

/**
 * Search the CRM's companies, deals, accounts… to link a note to: the ARIA 1.2 combobox pattern
 * (an input owning a listbox; arrows move, Enter picks, Escape closes the list and only then
 * the dialog). Test ids: crm-target-search (the input), crm-target-option (each answer),
 * crm-target-chosen (the chosen one, with crm-target-clear to choose again).
 */
export function TargetCombobox({ provider, kind, value, onChange }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const format = useFormat();
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const q = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const targets = useCrmTargets(provider, kind, q, open && value === null);
  const items = targets.data?.items ?? [];
  const kindName = t(`crmSync.targetKinds.${kind}`);

  if (value) {
    return (
      <div className="crm-target-chosen" data-testid="crm-target-chosen">
        <span className="crm-target-chosen__label">{t("crmSync.linkTo")}</span>
        <strong>{value.name}</strong>
        <span className="muted">
          {kindName} · <code>{value.id}</code>
        </span>
        <button
          id={`${id}-change`}
          type="button"
          className="button button--small"
          data-testid="crm-target-clear"
          onClick={() => {
            onChange(null);
            setOpen(true);
            window.requestAnimationFrame(() => document.getElementById(id)?.focus());
          }}
        >
          {t("crmSync.changeTarget")}
        </button>
      </div>
    );
  }

  const choose = (target: AssociationTarget | undefined) => {
    if (!target) return;
    onChange(target);
    setOpen(false);
    setText("");
    // The input goes away with the pick: focus moves to the way to change it.
    window.requestAnimationFrame(() => document.getElementById(`${id}-change`)?.focus());
  };
  const activeIndex = Math.min(active, items.length - 1);
  const activeId = open && activeIndex >= 0 && items[activeIndex] ? `${id}-option-${activeIndex}` : undefined;

  return (
    <div className="crm-combobox">
      <label htmlFor={id} className="field__label">
        {t("crmSync.searchLabel", { kind: kindName })}
      </label>
      <input
        id={id}
        className="input"
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        aria-autocomplete="list"
        aria-expanded={open && items.length > 0}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-describedby={`${id}-status`}
        placeholder={t("crmSync.searchPlaceholder", { kind: kindName })}
        value={text}
        data-testid="crm-target-search"
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            if (!open) setOpen(true);
            else setActive((index) => Math.min(index + 1, Math.max(0, items.length - 1)));
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((index) => Math.max(0, index - 1));
          } else if (event.key === "Home" && open) {
            setActive(0);
          } else if (event.key === "End" && open) {
            setActive(Math.max(0, items.length - 1));
          } else if (event.key === "Enter") {
            if (open && items[activeIndex]) {
              event.preventDefault();
              choose(items[activeIndex]);
            }
          } else if (event.key === "Escape" && open) {
            // Close the list, not the dialog around it.
            event.preventDefault();
            event.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <p id={`${id}-status`} className="field__hint" role="status" aria-live="polite">
        {!open
          ? t("crmSync.searchHint", { kind: kindName })
          : targets.isError
            ? errorText(targets.error).message
            : targets.isFetching
              ? t("crmSync.searching")
              : targets.data && items.length === 0
                ? q
                  ? t("crmSync.noMatch", { kind: kindName, q })
                  : t("crmSync.noTargets", { kind: kindName })
                : targets.data
                  ? items.length >= TARGET_SEARCH_LIMIT
                    ? `${t("crmSync.matches", { count: items.length, n: format.integer(items.length) })} ${t("crmSync.matchesCapped")}`
                    : t("crmSync.matches", { count: items.length, n: format.integer(items.length) })
                  : ""}
      </p>
      {open && items.length > 0 ? (
        <ul
          id={listId}
          className="crm-combobox__list"
          role="listbox"
          aria-label={t("crmSync.searchLabel", { kind: kindName })}
        >
          {items.map((item, index) => (
            <li
              key={item.id}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === activeIndex}
              className={
                index === activeIndex ? "crm-combobox__option crm-combobox__option--active" : "crm-combobox__option"
              }
              data-testid="crm-target-option"
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(item);
              }}
              onMouseEnter={() => setActive(index)}
            >
              <span>{item.name}</span>
              <code className="muted">{item.id}</code>
            </li>
          ))}
        </ul>
      ) : (
        // aria-controls must name an element that exists.
        <ul id={listId} role="listbox" hidden aria-label={t("crmSync.searchLabel", { kind: kindName })} />
      )}
    </div>
  );
}
